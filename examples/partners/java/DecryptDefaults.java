// Broken consumer where RSAES_OAEP_SHA_256 was agreed: SunJCE's
// "OAEPWithSHA-256AndMGF1Padding" expects MGF1 with SHA-1.
// Usage: java DecryptDefaults PRIVKEY.der IN OUT
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import javax.crypto.Cipher;

public class DecryptDefaults {
    public static void main(String[] args) throws Exception {
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(Path.of(args[0]))));
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        c.init(Cipher.DECRYPT_MODE, key);
        Files.write(Path.of(args[2]), c.doFinal(Files.readAllBytes(Path.of(args[1]))));
    }
}
