// Broken: "OAEPWithSHA-256AndMGF1Padding" with SunJCE's default parameters
// uses SHA-256 for the label hash but SHA-1 for MGF1, which KMS
// RSAES_OAEP_SHA_256 does not decrypt.
// Usage: java OaepDefaults.java PUBKEY.pem IN OUT
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;

public class OaepDefaults {
    public static void main(String[] args) throws Exception {
        String pem = Files.readString(Path.of(args[0]));
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        c.init(Cipher.ENCRYPT_MODE, pub);
        Files.write(Path.of(args[2]), c.doFinal(Files.readAllBytes(Path.of(args[1]))));
    }
}
