package org.gaugeflow.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gaugeflow.io.AtomicFileWriter;

/**
 * The checkpoint file of a chain: "GFCHAIN1", a JSON header (the run's fingerprint, counters, the
 * current state's log q, log weight and observables, the proposal stream's position) and named binary
 * blobs (the current field as complex128 doubles, generator states). Written atomically (a temporary
 * file renamed over the old checkpoint), so a kill leaves either the previous or the new checkpoint.
 */
public final class ChainCheckpoint {
    private static final byte[] MAGIC = "GFCHAIN1".getBytes(StandardCharsets.US_ASCII);
    static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode header;
    private final Map<String, byte[]> blobs;

    public ChainCheckpoint(ObjectNode header, Map<String, byte[]> blobs) {
        this.header = header;
        this.blobs = blobs;
    }

    public ObjectNode header() { return header; }

    public byte[] blob(String name) {
        byte[] b = blobs.get(name);
        if (b == null) throw new IllegalArgumentException("checkpoint blob '" + name + "' missing: expected one");
        return b;
    }

    public boolean hasBlob(String name) { return blobs.containsKey(name); }

    public void write(Path file) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.write(MAGIC);
            byte[] h = JSON.writeValueAsBytes(header);
            out.writeInt(h.length);
            out.write(h);
            out.writeInt(blobs.size());
            for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        }
        ByteBuffer bb = ByteBuffer.wrap(buf.toByteArray());
        AtomicFileWriter.write(file, ch -> {
            while (bb.hasRemaining()) ch.write(bb);
        });
    }

    public static ChainCheckpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("checkpoint " + file + ": no such file; expected a chain checkpoint to resume");
        }
        byte[] all = Files.readAllBytes(file);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("checkpoint " + file + ": not a gaugeflow chain checkpoint (magic "
                        + new String(magic, StandardCharsets.ISO_8859_1) + ", expected GFCHAIN1)");
            }
            byte[] h = new byte[in.readInt()];
            in.readFully(h);
            ObjectNode header = (ObjectNode) JSON.readTree(h);
            int n = in.readInt();
            Map<String, byte[]> blobs = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                blobs.put(name, b);
            }
            return new ChainCheckpoint(header, blobs);
        } catch (java.io.EOFException | ClassCastException | com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("checkpoint " + file + ": truncated or damaged (" + e.getMessage()
                    + "); expected a complete chain checkpoint");
        }
    }
}
