import Foundation
import Logging

/// Logging for one-shot commands: warnings and errors to stderr, nothing on stdout (scripts read stdout).
enum CLILogger {
    static func make(label: String = "warden") -> Logger {
        var logger = Logger(label: label) { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        logger.logLevel = .warning
        return logger
    }
}
