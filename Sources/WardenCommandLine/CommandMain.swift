import ArgumentParser
import Foundation
import WardenCore

/// How Warden's executables end, the same for `warden` and `warden-console`: exit 0 on success; 1 with one line
/// `error: <sentence>` on stderr on failure (the error's message, never its internal code); 2 on a usage error,
/// with ArgumentParser's message.
public enum CommandMain {
    public static func run(_ command: any ParsableCommand.Type) async -> Never {
        do {
            var parsed = try command.parseAsRoot()
            if var asyncCommand = parsed as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try parsed.run()
            }
            Foundation.exit(0)
        } catch let error as WardenError {
            fail(error.message)
        } catch {
            let code = command.exitCode(for: error)
            if code == .success {
                print(command.fullMessage(for: error))
                Foundation.exit(0)
            }
            if code == .validationFailure || error is ValidationError {
                FileHandle.standardError.write(Data((command.fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            let message = command.fullMessage(for: error)
            fail(message.isEmpty ? "\(error)" : message, code: code.rawValue == 0 ? 1 : code.rawValue)
        }
    }

    static func fail(_ message: String, code: Int32 = 1) -> Never {
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        FileHandle.standardError.write(Data("error: \(oneLine)\n".utf8))
        Foundation.exit(code)
    }
}
