import Foundation
import WardenCore

/// Files and directories with explicit modes, whatever the process umask (`umask 000` must not make a key or the
/// CA directory world-readable): files are created with their mode and `fchmod`ed before anything is written,
/// directories are `chmod`ed after creation.
public enum SecureFile {
    public static func write(_ text: String, to path: String, mode: Int) throws {
        try write(Array(text.utf8), to: path, mode: mode)
    }

    public static func write(_ bytes: [UInt8], to path: String, mode: Int) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode_t(mode))
        guard fd >= 0 else { throw WardenErrorText.cannotWrite(path) }
        defer { close(fd) }
        guard fchmod(fd, mode_t(mode)) == 0 else { throw WardenErrorText.cannotWrite(path) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw WardenErrorText.cannotWrite(path) }
            offset += written
        }
    }

    /// Writes to a temporary file beside `path` and renames it into place, so readers never see half a file.
    public static func replace(_ bytes: [UInt8], at path: String, mode: Int) throws {
        let temporary = path + ".tmp-\(getpid())"
        try write(bytes, to: temporary, mode: mode)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw WardenErrorText.cannotWrite(path)
        }
    }

    /// Creates `path` (and missing parents, which get the same mode) if needed, then sets `mode` on it.
    public static func directory(_ path: String, mode: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard chmod(path, mode_t(mode)) == 0 else { throw WardenErrorText.cannotWrite(path) }
    }
}

/// The error for a file that cannot be written, with the system's reason.
enum WardenErrorText {
    static func cannotWrite(_ path: String) -> WardenError {
        .badRequest("cannot write \(path): \(String(cString: strerror(errno)))")
    }
}
