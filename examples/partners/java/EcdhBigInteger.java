import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Broken ECDH partner tool (Java): it passes Z through BigInteger, whose
 * toByteArray() drops leading zero bytes and adds a sign byte when the top
 * bit is set, so many secrets come out one byte short or long.
 *
 * usage: java EcdhBigInteger KMS_PUBKEY_DER PUBKEY_OUT SECRET_OUT
 */
public class EcdhBigInteger {
    public static void main(String[] args) throws Exception {
        byte[] der = Files.readAllBytes(Path.of(args[0]));
        ECPublicKey kms = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(kms.getParams());
        KeyPair kp = kpg.generateKeyPair();
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(kp.getPrivate());
        ka.doPhase(kms, true);
        BigInteger shared = new BigInteger(1, ka.generateSecret()); // the mistake
        Files.write(Path.of(args[1]), kp.getPublic().getEncoded());
        Files.write(Path.of(args[2]), shared.toByteArray());
    }
}
