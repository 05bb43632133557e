package org.gaugeflow.io.ildg;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.gaugeflow.io.lime.LimeWriter;

/** Builds LIME files record by record, to make the odd files other codes write. */
final class LimeFiles {

    record Rec(String type, byte[] data, boolean mb, boolean me) {
        static Rec of(String type, String text) {
            return new Rec(type, text.getBytes(StandardCharsets.UTF_8), false, false);
        }
    }

    private final List<Rec> records = new ArrayList<>();

    LimeFiles add(String type, byte[] data) {
        records.add(new Rec(type, data, false, false));
        return this;
    }

    LimeFiles add(String type, String text) {
        return add(type, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes with MB on the first and ME on the last record, unless {@code rawFlags}. */
    Path write(Path file, boolean pairedFlags) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            LimeWriter w = new LimeWriter(ch);
            for (int i = 0; i < records.size(); i++) {
                Rec r = records.get(i);
                boolean mb = pairedFlags ? i == 0 : r.mb();
                boolean me = pairedFlags ? i == records.size() - 1 : r.me();
                w.writeRecord(r.type(), r.data(), mb, me);
            }
        }
        return file;
    }

    Path write(Path file) throws IOException {
        return write(file, true);
    }
}
