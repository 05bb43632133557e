package org.gaugeflow.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 of a trained model folder: of the files that define the model (relative path, a zero byte, then the
 * content, in the order given), so the checksum names the exact weights and settings and not, e.g., metrics
 * written later.
 */
public final class ModelChecksum {
    private ModelChecksum() {}

    /** The checksum of {@code files} (paths relative to {@code dir}) in that order. */
    public static String sha256(Path dir, List<String> files) throws IOException {
        MessageDigest md = sha();
        for (String f : files) {
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("model " + dir + ": " + f + " missing; expected a trained model folder");
            }
            md.update(f.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            digest(md, p);
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void digest(MessageDigest md, Path f) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        }
    }
}
