/// Zero-width assertions: `^ $ \A \z \b \B` and the multi-line forms of `^`/`$`.
enum GoRegexpAssertion: Sendable {
    case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
}
