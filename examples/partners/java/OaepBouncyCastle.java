// Correct with BouncyCastle (Debian's libbcprov-java, /usr/share/java/bcprov.jar):
// the same "OAEPWithSHA-256AndMGF1Padding" string as OaepDefaults.java, but
// the BC provider uses SHA-256 for MGF1 too, which is RSAES_OAEP_SHA_256.
// Usage: java -cp /usr/share/java/bcprov.jar:. OaepBouncyCastle PUBKEY.pem IN OUT
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

public class OaepBouncyCastle {
    public static void main(String[] args) throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        String pem = Files.readString(Path.of(args[0]));
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding", "BC");
        c.init(Cipher.ENCRYPT_MODE, pub);
        Files.write(Path.of(args[2]), c.doFinal(Files.readAllBytes(Path.of(args[1]))));
    }
}
