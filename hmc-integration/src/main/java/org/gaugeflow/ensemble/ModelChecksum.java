package org.gaugeflow.ensemble;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * SHA-256 of a trained model: of the file, or for a model folder of every regular file in it (relative path,
 * a zero byte, then the content, in path order), so the checksum names the exact weights and settings.
 */
public final class ModelChecksum {
    private ModelChecksum() {}

    public static String sha256(Path model) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (Files.isRegularFile(model)) {
            digest(md, model);
        } else if (Files.isDirectory(model)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(model)) {
                files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                        .sorted().toList();
            }
            for (Path f : files) {
                md.update(model.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                digest(md, f);
            }
        } else {
            throw new IllegalArgumentException("model " + model + ": no such file or folder; expected a trained model");
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    private static void digest(MessageDigest md, Path f) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        }
    }
}
