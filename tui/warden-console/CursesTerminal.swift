import CNCursesW
import Foundation
import WardenConsoleCore

/// The only code that calls curses: set-up and tear-down, key decoding, copying a ``ConsoleScreen`` to the
/// terminal. Everything it shows was decided by WardenConsoleCore.
final class CursesTerminal {
    let screen: UnsafeMutablePointer<WINDOW>

    init() throws {
        setlocale(LC_ALL, "")
        guard let screen = initscr() else { throw CocoaError(.featureUnsupported) }
        self.screen = screen
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

    func draw(_ frame: ConsoleScreen) {
        werase(screen)
        for (index, line) in frame.lines.enumerated() {
            let attribute: attr_t = index == frame.selectedLine ? cnc_a_reverse() : (frame.stale && index > 1 ? cnc_a_dim() : 0)
            if attribute != 0 { wattr_on(screen, attribute, nil) }
            mvwaddstr(screen, Int32(index), 0, line)
            if attribute != 0 { wattr_off(screen, attribute, nil) }
        }
        wrefresh(screen)
    }
}
