// Correct: RSA-OAEP with SHA-256 for the label hash AND MGF1, given
// explicitly, as KMS RSAES_OAEP_SHA_256 expects.
// Usage: java OaepExplicit.java PUBKEY.pem IN OUT
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

public class OaepExplicit {
    public static void main(String[] args) throws Exception {
        String pem = Files.readString(Path.of(args[0]));
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.ENCRYPT_MODE, pub, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        Files.write(Path.of(args[2]), c.doFinal(Files.readAllBytes(Path.of(args[1]))));
    }
}
