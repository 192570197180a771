/// A parsed regular expression in Go's `regexp/syntax` language (RE2 syntax with Go's `Perl` flags: `^`/`$` match
/// at the ends of the text unless `(?m)`, `.` does not match `\n` unless `(?s)`, negated classes match `\n`, Perl
/// classes `\d \s \w` and POSIX classes are ASCII, `\pN`/`\p{Lu}`/`\p{^L}` are Unicode general categories).
///
/// Not supported (refused as a syntax error, never matched differently): Unicode scripts in `\p{…}` (`\p{Greek}`).
/// Go's limits are kept: a repeat count is at most 1000; the compiled program at most
/// ``GoRegexpProgram/maximumInstructions`` instructions.
indirect enum GoRegexpNode: Sendable {
    case empty
    case literal(Unicode.Scalar, foldCase: Bool)
    case characterClass(GoRegexpClass, foldCase: Bool)
    /// `.`: any character, `\n` only with `(?s)`.
    case anyCharacter(matchesNewline: Bool)
    case assertion(GoRegexpAssertion)
    /// A capturing group with its index (1-based) and optional name.
    case capture(Int, name: String?, GoRegexpNode)
    case concatenation([GoRegexpNode])
    case alternation([GoRegexpNode])
    /// `min`…`max` copies (`max` nil: unbounded); `greedy` false for `*?`, `+?`, `??`, `{n,m}?` (or with `(?U)`).
    case repetition(GoRegexpNode, min: Int, max: Int?, greedy: Bool)
}
