import CNCursesW
import Foundation
import WardenConsoleCore
import WardenPKI

/// The only code that calls curses: set-up and tear-down, key decoding, copying a ``ConsoleScreen`` to the
/// terminal, and handing the terminal to `$EDITOR`. Everything it shows was decided by WardenConsoleCore.
final class CursesTerminal {
    let screen: UnsafeMutablePointer<WINDOW>
    /// Colour pairs are set up only when colour is wanted and the terminal has it; otherwise line styles map
    /// to bold, underline and dim (console.md: NO_COLOR, --no-color, !has_colors()).
    let colour: Bool

    enum Pair: Int16 {
        case red = 1
        case yellow, green, banner
    }

    init(colour wanted: Bool, bannerTone: Int) throws {
        setlocale(LC_ALL, "")
        guard let screen = initscr() else { throw CocoaError(.featureUnsupported) }
        self.screen = screen
        self.colour = wanted && has_colors()
        if colour {
            start_color()
            use_default_colors()
            init_pair(Pair.red.rawValue, Int16(COLOR_RED), -1)
            init_pair(Pair.yellow.rawValue, Int16(COLOR_YELLOW), -1)
            init_pair(Pair.green.rawValue, Int16(COLOR_GREEN), -1)
            let banners: [(Int32, Int32)] = [
                (COLOR_BLACK, COLOR_CYAN), (COLOR_BLACK, COLOR_GREEN), (COLOR_BLACK, COLOR_MAGENTA), (COLOR_WHITE, COLOR_BLUE),
            ]
            let (foreground, background) = banners[bannerTone % banners.count]
            init_pair(Pair.banner.rawValue, Int16(foreground), Int16(background))
        }
        raw()
        noecho()
        keypad(screen, true)
        curs_set(0)
        nonl()
        set_escdelay(25)
        wtimeout(screen, 50)
    }

    func close() {
        endwin()
    }

    var size: (width: Int, height: Int) {
        (Int(getmaxx(screen)), Int(getmaxy(screen)))
    }

    /// A key, a resize, or nil after 50 ms of nothing.
    func nextInput() -> (key: ConsoleKey?, resized: Bool) {
        var character: wint_t = 0
        let result = wget_wch(screen, &character)
        if result == KEY_CODE_YES {
            switch Int32(character) {
            case KEY_RESIZE: return (nil, true)
            case KEY_UP: return (.up, false)
            case KEY_DOWN: return (.down, false)
            case KEY_NPAGE: return (.pageDown, false)
            case KEY_PPAGE: return (.pageUp, false)
            case KEY_HOME: return (.home, false)
            case KEY_END: return (.end, false)
            case KEY_BTAB: return (.backTab, false)
            case KEY_BACKSPACE: return (.backspace, false)
            case KEY_ENTER: return (.enter, false)
            default: return (nil, false)
            }
        }
        guard result == OK else { return (nil, false) }
        switch character {
        case 3: return (.controlC, false)
        case 9: return (.tab, false)
        case 10, 13: return (.enter, false)
        case 27: return (.escape, false)
        case 8, 127: return (.backspace, false)
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)), character >= 32 else { return (nil, false) }
            return (.character(Character(scalar)), false)
        }
    }

    func attribute(for style: ConsoleScreen.LineStyle) -> attr_t {
        if colour {
            switch style {
            case .plain: return 0
            case .banner: return cnc_color_pair(Pair.banner.rawValue) | cnc_a_bold()
            case .columnHeader: return cnc_a_bold()
            case .revoked: return cnc_color_pair(Pair.red.rawValue)
            case .expiring: return cnc_color_pair(Pair.yellow.rawValue)
            case .expired: return cnc_a_dim()
            case .error: return cnc_color_pair(Pair.red.rawValue) | cnc_a_bold()
            case .ok: return cnc_color_pair(Pair.green.rawValue)
            }
        }
        switch style {
        case .plain, .ok: return 0
        case .banner, .error, .revoked: return cnc_a_bold()
        case .columnHeader, .expiring: return cnc_a_underline()
        case .expired: return cnc_a_dim()
        }
    }

    func draw(_ frame: ConsoleScreen) {
        werase(screen)
        for (index, line) in frame.lines.enumerated() {
            var attribute = index < frame.styles.count ? self.attribute(for: frame.styles[index]) : 0
            if index == frame.selectedLine { attribute |= cnc_a_reverse() }
            if frame.stale && index > 1 { attribute |= cnc_a_dim() }
            if attribute != 0 { wattr_on(screen, attribute, nil) }
            mvwaddstr(screen, Int32(index), 0, line)
            if attribute != 0 { wattr_off(screen, attribute, nil) }
        }
        wrefresh(screen)
    }

    /// Leaves curses, runs `$VISUAL`/`$EDITOR` (else `vi`) on a private temporary file holding `text`, and comes
    /// back. Returns the edited text, or nil when the editor could not run or exited with an error.
    func edit(_ text: String) -> String? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-\(UUID().uuidString.prefix(8)).json").path
        // 0600: the document may hold an encrypted key or an OIDC client secret.
        // Created with that mode (never readable by others, whatever the umask, not even for a moment).
        guard (try? SecureFile.write(text, to: path, mode: 0o600)) != nil else { return nil }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        def_prog_mode()
        endwin()
        defer {
            reset_prog_mode()
            clearok(screen, true)
            wrefresh(screen)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The editor may carry arguments ("code --wait"), so the shell splits it; the path is passed as "$1".
        process.arguments = ["-c", "\(editor) \"$1\"", "warden-editor", path]
        do {
            try process.run()
        } catch {
            return nil
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
