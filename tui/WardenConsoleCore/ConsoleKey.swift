/// Keys as the console understands them, decoded from curses by the executable.
public enum ConsoleKey: Hashable, Sendable {
    case character(Character)
    case up, down, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace
    case controlC
}
