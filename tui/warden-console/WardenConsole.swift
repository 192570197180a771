import ArgumentParser
import Foundation
import WardenClient
import WardenConsoleCore
import WardenCore
import X509

/// `warden-console`: browse and manage a Warden CA from a terminal.
@main
struct WardenConsole: AsyncParsableCommand {
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
        guard let certFile = adminCert ?? environment["WARDEN_ADMIN_CERT"] ?? saved?.adminCert,
            let keyFile = adminKey ?? environment["WARDEN_ADMIN_KEY"] ?? saved?.adminKey
        else { throw WardenError.badRequest("no admin credential: give --admin-cert and --admin-key, or a context with them") }
        let identity = try ClientIdentity(certificateFile: certFile, keyFile: keyFile)
        if identity.chain[0].notValidAfter < Date() {
            throw WardenError.unauthorized("the admin certificate \(certFile) expired at \(ProtoTimestamp.format(identity.chain[0].notValidAfter))")
        }
        let configuration = try CAClientConfiguration(url: url, rootFile: rootFile, identity: identity)
        let readOnly = readOnly
        // NO_COLOR: "set and non-empty" means no colour (console.md: copies of the spec differ on empty).
        let colour = !noColor && (environment["NO_COLOR"] ?? "").isEmpty
        let credential = "\(identity.chain[0].subject) (\(certFile), valid until \(ProtoTimestamp.format(identity.chain[0].notValidAfter)))"
        try await CAClient.withClient(configuration) { client in
            let admin = AdminClient(client: client)
            let me: WhoAmI
            do {
                me = try await admin.whoami()
            } catch let error as WardenError {
                throw WardenError(error.code, "cannot log in to \(url): \(error.message)")
            }
            try await Self.session(
                admin: admin, identity: ConsoleIdentity(subject: me.subject, role: me.role, caURL: url, certificateNotAfter: identity.chain[0].notValidAfter), readOnly: readOnly, colour: colour,
                credential: credential, firstView: firstView)
        }
    }

    /// Runs the curses loop on its own thread while this task group owns every network task.
    static func session(admin: AdminClient, identity: ConsoleIdentity, readOnly: Bool, colour: Bool, credential: String, firstView: ConsoleView) async throws {
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
                    CursesLoop.run(identity: identity, readOnly: readOnly, colour: colour, firstView: firstView, inbox: inbox, effects: effectSink)
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
    static func run(
        identity: ConsoleIdentity, readOnly: Bool, colour: Bool, firstView: ConsoleView, inbox: Inbox,
        effects: AsyncStream<ConsoleEffect>.Continuation
    ) {
        guard let terminal = try? CursesTerminal(colour: colour, bannerTone: identity.bannerTone) else { return }
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
            if produced.contains(.quit) { return }
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
