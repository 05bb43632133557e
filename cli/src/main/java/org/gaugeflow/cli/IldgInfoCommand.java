package org.gaugeflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gaugeflow.io.ildg.FilePrecision;
import org.gaugeflow.io.ildg.IldgFileInfo;
import org.gaugeflow.io.ildg.IldgInspection;
import org.gaugeflow.io.ildg.Provenance;
import org.gaugeflow.io.ildg.ScidacChecksum;
import org.gaugeflow.io.lime.LimeRecord;
import org.gaugeflow.tensor.TorchRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gaugeflow ildg info FILE}: what a file holds, as JSON (fields documented in docs/ildg.md). */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the records, lattice, precision, field, checksum, plaquette and unitarity of an ILDG file as JSON.")
final class IldgInfoCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "ILDG/LIME file")
    Path file;

    @Option(names = "--lattice", paramLabel = "LxLxLxT",
            description = "Lattice (x first) for files that do not record it, e.g. 4x4x4x8.")
    String lattice;

    @Override public Integer call() throws Exception {
        IldgCommand.inputFile(spec, file);
        var extents = IldgCommand.lattice(spec, lattice);
        TorchRuntime.configure();
        IldgInspection r = IldgInspection.of(file, extents);
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(r)));
        return 0;
    }

    static Map<String, Object> toJson(IldgInspection r) {
        IldgFileInfo info = r.info();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", info.path().toString());
        out.put("size", info.fileSize());
        List<Map<String, Object>> records = new ArrayList<>();
        for (LimeRecord rec : info.records()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", rec.type());
            m.put("offset", rec.headerOffset());
            m.put("data_offset", rec.dataOffset());
            m.put("length", rec.dataLength());
            m.put("mb", rec.header().messageBegin());
            m.put("me", rec.header().messageEnd());
            records.add(m);
        }
        out.put("records", records);
        out.put("lattice", info.layout().extents());
        out.put("lattice_source", info.layoutSource());
        out.put("field", info.layout().field().ildgName());
        out.put("ildg_standard", info.layout().isIldgStandard());
        out.put("precision", FilePrecision.bits(info.layout().precision()));
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("stored", info.storedChecksum().map(IldgInfoCommand::checksum).orElse(null));
        sum.put("computed", checksum(r.computed()));
        sum.put("ok", r.checksumOk().orElse(null));
        out.put("checksum", sum);
        out.put("plaquette", r.plaquette());
        out.put("max_unitarity_deviation", r.deviation().maxUnitarity());
        out.put("max_det_deviation", Double.isNaN(r.deviation().maxDet()) ? null : r.deviation().maxDet());
        out.put("lfn", info.lfn().orElse(null));
        out.put("provenance", info.provenance().map(IldgInfoCommand::provenance).orElse(null));
        out.put("warnings", info.warnings());
        return out;
    }

    private static Map<String, Object> checksum(ScidacChecksum c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("suma", c.sumaHex());
        m.put("sumb", c.sumbHex());
        return m;
    }

    private static Map<String, Object> provenance(Provenance p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gaugeflow_version", p.gaugeflowVersion());
        m.put("action", p.action());
        m.put("beta", p.beta());
        m.put("origin", p.origin());
        m.put("step", p.step());
        m.put("model_checksum", p.modelChecksum());
        return m;
    }
}
