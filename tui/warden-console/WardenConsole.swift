import ArgumentParser
import Foundation
import WardenClient
import WardenCommandLine
import WardenConsoleCore
import WardenCore
import X509

/// `warden-console`: browse and manage a Warden CA from a terminal.
@main
struct WardenConsole: AsyncParsableCommand {
    /// Exit codes as `warden`'s: 0, 1 with one sentence on stderr, 2 for usage.
    static func main() async {
        await CommandMain.run(self)
    }

    static let configuration = CommandConfiguration(
        commandName: "warden-console",
        abstract: "The Warden operator console: provisioners, admins, certificates, revocations, audit.",
        discussion: """
            Connection defaults come from the same context file as `warden` ($WARDEN_HOME/contexts.json).
            Example:
              warden-console --ca-url https://ca.internal:9443 --root root_ca.crt --admin-cert admin.crt --admin-key admin.key
            """)

    @Option(name: .customLong("ca-url")) var caURL: String?
    @Option var root: String?
    @Option(name: .customLong("admin-cert")) var adminCert: String?
    @Option(name: .customLong("admin-key")) var adminKey: String?
    @Option(name: .customLong("admin-subject"), help: "Mint a short-lived admin certificate for this subject (instead of --admin-cert).")
    var adminSubject: String?
    @Option(name: .customLong("admin-provisioner"), help: "JWK provisioner to mint it with.") var adminProvisioner: String?
    @Option(name: .customLong("admin-password-file"), help: "Password of --admin-provisioner.") var adminPasswordFile: String?
    @Option(help: "Context from the context file.") var context: String?
    @Option(help: "The view to open first: prov, admins, certs, revoked or audit.") var view: String = "prov"
    @Flag(name: .customLong("read-only"), help: "Hide every change (browse only).") var readOnly = false
    @Flag(name: .customLong("no-color"), help: "Monochrome: bold, underline and reverse only (a non-empty NO_COLOR does the same).")
    var noColor = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let firstView = ConsoleView(command: view) else {
            throw ValidationError("--view must be one of prov, admins, certs, revoked, audit")
        }
        let saved = try ContextFile.load().context(named: context)
        let (url, rootFile) = try ConnectionDefaults.resolve(caURL: caURL, root: root, context: saved)
        var configuration = try CAClientConfiguration(url: url, rootFile: rootFile)
        let credential = AdminCredential(
            certificateFile: adminCert, keyFile: adminKey, mintSubject: adminSubject, mintProvisioner: adminProvisioner,
            mintPasswordFile: adminPasswordFile)
        let (identity, certFile) = try await credential.identity(base: configuration, context: saved)
        if identity.chain[0].notValidAfter < Date() {
            throw WardenError.unauthorized("the admin certificate \(certFile) expired at \(ProtoTimestamp.format(identity.chain[0].notValidAfter))")
        }
        configuration.identity = identity
        let readOnly = readOnly
        // NO_COLOR: "set and non-empty" means no colour (console.md: copies of the spec differ on empty).
        let colour = !noColor && (environment["NO_COLOR"] ?? "").isEmpty
        let described = "\(identity.chain[0].subject) (\(certFile), valid until \(ProtoTimestamp.format(identity.chain[0].notValidAfter)))"
        try await CAClient.withClient(configuration) { client in
            let admin = AdminClient(client: client)
            let me: WhoAmI
            do {
                me = try await admin.whoami()
            } catch let error as WardenError {
                throw WardenError(error.code, "cannot log in to \(url): \(error.message)")
            }
            try await Self.session(
                admin: admin,
                identity: ConsoleIdentity(subject: me.subject, role: me.role, caURL: url, certificateNotAfter: identity.chain[0].notValidAfter),
                readOnly: readOnly, colour: colour,
                credential: described, firstView: firstView)
        }
    }

    /// Runs the curses loop on its own thread while this task group owns every network task.
    static func session(admin: AdminClient, identity: ConsoleIdentity, readOnly: Bool, colour: Bool, credential: String, firstView: ConsoleView)
        async throws
    {
        let inbox = Inbox()
        let runtime = ConsoleRuntime(admin: admin, inbox: inbox, credential: credential)
        let (effects, effectSink) = AsyncStream.makeStream(of: ConsoleEffect.self)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await runtime.watchChanges() }
            group.addTask {
                await withTaskGroup(of: Void.self) { work in
                    for await effect in effects { work.addTask { await runtime.perform(effect) } }
                }
            }
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread {
                    let quit = CursesLoop.run(
                        identity: identity, readOnly: readOnly, colour: colour, firstView: firstView, inbox: inbox, effects: effectSink)
                    if quit {
                        // The terminal is already restored. Leave now: waiting for the event stream and requests in
                        // flight to wind down took seconds (the HTTP client's streams end on their own schedule);
                        // ending the process closes them at once, and nothing is left to save.
                        Foundation.exit(0)
                    }
                    done.resume()
                }
                thread.start()
            }
            effectSink.finish()
            group.cancelAll()
        }
    }
}

/// The single thread that owns curses: read a key or wait 50 ms, apply events, draw when something changed.
/// `$EDITOR` runs here too, since it takes the terminal over from curses.
enum CursesLoop {
    /// Returns true when the operator quit (q, Ctrl-C), false when the terminal could not be opened.
    static func run(
        identity: ConsoleIdentity, readOnly: Bool, colour: Bool, firstView: ConsoleView, inbox: Inbox,
        effects: AsyncStream<ConsoleEffect>.Continuation
    ) -> Bool {
        guard let terminal = try? CursesTerminal(colour: colour, bannerTone: identity.bannerTone) else {
            FileHandle.standardError.write(Data("error: cannot open the terminal (is TERM set, and is this a terminal?)\n".utf8))
            return false
        }
        defer { terminal.close() }
        var state = ConsoleState(identity: identity, readOnly: readOnly)
        state.view = firstView
        var size = terminal.size
        _ = ConsoleReducer.reduce(&state, .resized(width: size.width, height: size.height))
        for effect in ConsoleReducer.start(&state) { effects.yield(effect) }
        var last: ConsoleScreen?
        while true {
            var produced: [ConsoleEffect] = []
            let input = terminal.nextInput()
            if input.resized {
                size = terminal.size
                produced += ConsoleReducer.reduce(&state, .resized(width: size.width, height: size.height))
                last = nil
            }
            if let key = input.key { produced += ConsoleReducer.reduce(&state, .key(key)) }
            for event in inbox.drain() { produced += ConsoleReducer.reduce(&state, event) }
            if produced.contains(.quit) { return true }
            while let index = produced.firstIndex(where: { if case .openEditor = $0 { true } else { false } }) {
                guard case .openEditor(let session) = produced.remove(at: index) else { break }
                let edited = terminal.edit(session.text)
                size = terminal.size
                last = nil
                produced += ConsoleReducer.reduce(&state, .editorFinished(session, text: edited))
            }
            for effect in produced { effects.yield(effect) }
            let frame = ConsoleRenderer.render(state, width: size.width, height: size.height)
            if frame != last {
                terminal.draw(frame)
                last = frame
            }
        }
    }
}
