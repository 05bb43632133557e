package org.gaugeflow.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/**
 * One-line texts for I/O failures that name the file and the reason. Java's file-system exceptions often carry only
 * the path as their message ({@code AccessDeniedException: /x/y}); these helpers add what went wrong, e.g.
 * {@code /x/y: permission denied}.
 */
public final class IoErrors {
    private IoErrors() {}

    /** {@code "FILE: reason"} for file-system failures, else the exception's message on one line. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String where = f.getOtherFile() == null ? f.getFile() : f.getFile() + " -> " + f.getOtherFile();
            return where + ": " + reason(e);
        }
        return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** What went wrong, without the file: "permission denied", "no such file or folder", the OS's reason, ... */
    public static String reason(IOException e) {
        String r = e instanceof FileSystemException f ? f.getReason() : null;
        String kind = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NoSuchFileException ? "no such file or folder"
                : e instanceof FileAlreadyExistsException ? "already exists"
                : e instanceof NotDirectoryException ? "not a folder"
                : e instanceof DirectoryNotEmptyException ? "folder not empty"
                : e instanceof NotLinkException ? "not a symbolic link"
                : e instanceof FileSystemLoopException ? "symbolic link loop"
                : null;
        if (r != null && !r.isBlank()) return oneLine(r.strip());
        if (kind != null) return kind;
        if (e instanceof FileSystemException) return e.getClass().getSimpleName();
        return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
