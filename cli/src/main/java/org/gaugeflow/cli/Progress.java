package org.gaugeflow.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bars of long commands: on stderr, so that stdout stays machine-readable. */
final class Progress {
    private Progress() {}

    static ProgressBar bar(String task, long total, String unit) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUnit(unit, 1).build();
    }
}
