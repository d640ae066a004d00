import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Correct ECDH partner tool (Java SunEC): a fresh key on the KMS key's
 * curve, its public key as X.509 SubjectPublicKeyInfo (getEncoded), the
 * raw Z from KeyAgreement "ECDH" (fixed length).
 *
 * usage: java EcdhRaw KMS_PUBKEY_DER PUBKEY_OUT SECRET_OUT
 */
public class EcdhRaw {
    public static void main(String[] args) throws Exception {
        byte[] der = Files.readAllBytes(Path.of(args[0]));
        ECPublicKey kms = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(kms.getParams());
        KeyPair kp = kpg.generateKeyPair();
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(kp.getPrivate());
        ka.doPhase(kms, true);
        byte[] z = ka.generateSecret();
        Files.write(Path.of(args[1]), kp.getPublic().getEncoded());
        Files.write(Path.of(args[2]), z);
    }
}
