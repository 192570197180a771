/// A compiled regular expression and the machine that runs it: Thompson's construction and a Pike VM, as RE2 and Go's
/// `regexp` run one. Matching costs at most (program size × text length) steps, whatever the pattern — no
/// backtracking, so no pattern and no text can make a match take exponential time. Leftmost-first semantics with
/// submatches, as Go's `regexp` (Perl-like alternation priority, greedy and non-greedy repetition).
struct GoRegexpProgram: Sendable {
    enum Instruction: Sendable {
        case literal(UInt32)
        /// Case-insensitive literal, stored folded (``GoRegexpProgram/fold(_:)``).
        case literalFolded(UInt32)
        case characterClass(Int, folded: Bool)
        case anyCharacter
        case anyCharacterNotNewline
        /// Try the first target, then (lower priority) the second.
        case split(Int, Int)
        case jump(Int)
        /// Record the position in capture slot n (2k: start of group k, 2k+1: its end).
        case save(Int)
        case assertion(GoRegexpAssertion)
        case match
    }

    /// Go refuses programs larger than its own bound; Warden's is smaller, to keep (size × text) steps affordable.
    static let maximumInstructions = 50_000

    private(set) var instructions: [Instruction] = []
    private(set) var classes: [GoRegexpClass] = []
    let slotCount: Int

    /// Compiles `node` (with `groupCount` capturing groups) into `save 0; node; save 1; match`.
    init(_ node: GoRegexpNode, groupCount: Int) throws(GoRegexp.SyntaxError) {
        slotCount = 2 * (groupCount + 1)
        instructions.append(.save(0))
        try emit(node)
        instructions.append(.save(1))
        instructions.append(.match)
    }

    private mutating func append(_ instruction: Instruction) throws(GoRegexp.SyntaxError) {
        guard instructions.count < Self.maximumInstructions else {
            throw GoRegexp.SyntaxError(message: "error parsing regexp: expression too large")
        }
        instructions.append(instruction)
    }

    /// Nodes visited while compiling: repetitions of empty bodies add no instructions, so the instruction bound
    /// alone would let `(?:(?:){1000}){1000}…` compile for ever.
    private var visits = 0

    private mutating func emit(_ node: GoRegexpNode) throws(GoRegexp.SyntaxError) {
        visits += 1
        guard visits <= 4 * Self.maximumInstructions else {
            throw GoRegexp.SyntaxError(message: "error parsing regexp: expression too large")
        }
        switch node {
        case .empty:
            break
        case .literal(let scalar, let foldCase):
            try append(foldCase ? .literalFolded(Self.fold(scalar)) : .literal(scalar.value))
        case .characterClass(var set, let foldCase):
            set.normalize()
            classes.append(set)
            try append(.characterClass(classes.count - 1, folded: foldCase))
        case .anyCharacter(let matchesNewline):
            try append(matchesNewline ? .anyCharacter : .anyCharacterNotNewline)
        case .assertion(let assertion):
            try append(.assertion(assertion))
        case .capture(let group, _, let body):
            try append(.save(2 * group))
            try emit(body)
            try append(.save(2 * group + 1))
        case .concatenation(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            // split L1, next; L1: branch; jump end; next: split …
            var jumps: [Int] = []
            for (offset, branch) in branches.enumerated() {
                if offset < branches.count - 1 {
                    let split = instructions.count
                    try append(.split(split + 1, 0))
                    try emit(branch)
                    jumps.append(instructions.count)
                    try append(.jump(0))
                    instructions[split] = .split(split + 1, instructions.count)
                } else {
                    try emit(branch)
                }
            }
            for jump in jumps { instructions[jump] = .jump(instructions.count) }
        case .repetition(let body, let minimum, let maximum, let greedy):
            if let maximum {
                // x{n,m}: n copies, then (m-n) nested optional copies, x(x(x)?)? as Go expands it.
                for _ in 0..<minimum { try emit(body) }
                var splits: [Int] = []
                for _ in minimum..<maximum {
                    splits.append(instructions.count)
                    try append(.split(0, 0))
                    try emit(body)
                }
                for split in splits { instructions[split] = order(split + 1, instructions.count, greedy: greedy) }
            } else if minimum > 0 {
                // x{n,}: n-1 copies, then x+ (the last copy loops).
                for _ in 1..<minimum { try emit(body) }
                let loopStart = instructions.count
                try emit(body)
                let split = instructions.count
                try append(.split(0, 0))
                instructions[split] = order(loopStart, split + 1, greedy: greedy)
            } else {
                // x*
                let split = instructions.count
                try append(.split(0, 0))
                try emit(body)
                try append(.jump(split))
                instructions[split] = order(split + 1, instructions.count, greedy: greedy)
            }
        }
    }

    private func order(_ preferred: Int, _ other: Int, greedy: Bool) -> Instruction {
        greedy ? .split(preferred, other) : .split(other, preferred)
    }

    /// Simple case folding: the lowercase of the uppercase (so `K`, `k` and the Kelvin sign, `S`, `s` and `ſ` meet).
    static func fold(_ scalar: Unicode.Scalar) -> UInt32 {
        if scalar.isASCII {
            return ("A"..."Z").contains(scalar) ? scalar.value + 32 : scalar.value
        }
        let upper = single(scalar.properties.uppercaseMapping) ?? scalar
        return (single(upper.properties.lowercaseMapping) ?? upper).value
    }

    private static func single(_ text: String) -> Unicode.Scalar? {
        let scalars = text.unicodeScalars
        return scalars.count == 1 ? scalars.first : nil
    }

    private func accepts(_ instruction: Instruction, _ scalar: Unicode.Scalar) -> Bool {
        switch instruction {
        case .literal(let value): return scalar.value == value
        case .literalFolded(let value): return Self.fold(scalar) == value
        case .characterClass(let index, let folded):
            let set = classes[index]
            if set.contains(scalar) { return true }
            guard folded else { return false }
            let variants = [scalar.properties.lowercaseMapping, scalar.properties.uppercaseMapping, scalar.properties.titlecaseMapping]
            for variant in variants {
                if let other = Self.single(variant), other != scalar, set.contains(other) { return true }
            }
            if let folded = Unicode.Scalar(Self.fold(scalar)), folded != scalar, set.contains(folded) { return true }
            return false
        case .anyCharacter: return true
        case .anyCharacterNotNewline: return scalar != "\n"
        default: return false
        }
    }

    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar == "_" || ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar))
    }

    private static func holds(_ assertion: GoRegexpAssertion, _ text: [Unicode.Scalar], _ position: Int) -> Bool {
        let before: Unicode.Scalar? = position > 0 ? text[position - 1] : nil
        let after: Unicode.Scalar? = position < text.count ? text[position] : nil
        switch assertion {
        case .beginText: return position == 0
        case .endText: return position == text.count
        case .beginLine: return before == nil || before == "\n"
        case .endLine: return after == nil || after == "\n"
        case .wordBoundary, .notWordBoundary:
            let boundary = (before.map(isWordCharacter) ?? false) != (after.map(isWordCharacter) ?? false)
            return boundary == (assertion == .wordBoundary)
        }
    }

    private struct Thread {
        var pc: Int
        var slots: [Int]
    }

    /// Per-operation memory of which instructions a position has seen: one array for all the matches of an
    /// operation (`regexFindAll` on a long text runs thousands), keyed by `base + position` with `base` moving on
    /// at every match.
    struct Scratch {
        var marks: [Int]
        var base = 0
    }

    func scratch() -> Scratch {
        Scratch(marks: [Int](repeating: -1, count: instructions.count))
    }

    /// The leftmost-first match starting at or after `start` (scalar offsets into `text`): its capture slots (-1 for
    /// a group that did not take part), or nil. Each step (a thread at one position) costs one unit of `budget`,
    /// and each copy of the capture slots as many units as there are slots; throws ``GoRegexp/WorkExceeded`` when
    /// it runs out.
    func firstMatch(
        in text: [Unicode.Scalar], from start: Int, budget: inout Int, scratch: inout Scratch
    ) throws(GoRegexp.WorkExceeded) -> [Int]? {
        scratch.base += text.count + 2
        budget -= slotCount
        var current: [Thread] = []
        var next: [Thread] = []
        var matched: [Int]?
        var position = start
        let initial = [Int](repeating: -1, count: slotCount)
        while true {
            if matched == nil {
                try addThread(Thread(pc: 0, slots: initial), at: position, in: text, to: &current, scratch: &scratch, budget: &budget)
            }
            if current.isEmpty {
                if matched != nil || position >= text.count { break }
                position += 1
                continue
            }
            next.removeAll(keepingCapacity: true)
            for thread in current {
                budget -= 1
                if budget < 0 { throw GoRegexp.WorkExceeded() }
                let instruction = instructions[thread.pc]
                if case .match = instruction {
                    matched = thread.slots
                    break  // lower-priority threads are cut
                }
                if position < text.count && accepts(instruction, text[position]) {
                    try addThread(
                        Thread(pc: thread.pc + 1, slots: thread.slots), at: position + 1, in: text, to: &next, scratch: &scratch,
                        budget: &budget)
                }
            }
            if position >= text.count { break }
            swap(&current, &next)
            position += 1
        }
        return matched
    }

    /// Follows jumps, splits, saves and assertions from `thread` at `position` (depth-first, first branch first) and
    /// adds the threads that wait on a character or match to `list`, each program counter once per position.
    private func addThread(
        _ thread: Thread, at position: Int, in text: [Unicode.Scalar], to list: inout [Thread], scratch: inout Scratch, budget: inout Int
    ) throws(GoRegexp.WorkExceeded) {
        let key = scratch.base + position
        var stack = [thread]
        while var item = stack.popLast() {
            budget -= 1
            if budget < 0 { throw GoRegexp.WorkExceeded() }
            if scratch.marks[item.pc] == key { continue }
            scratch.marks[item.pc] = key
            switch instructions[item.pc] {
            case .jump(let target):
                item.pc = target
                stack.append(item)
            case .split(let first, let second):
                stack.append(Thread(pc: second, slots: item.slots))
                stack.append(Thread(pc: first, slots: item.slots))
            case .save(let slot):
                budget -= slotCount
                item.slots[slot] = position
                item.pc += 1
                stack.append(item)
            case .assertion(let assertion):
                if Self.holds(assertion, text, position) {
                    item.pc += 1
                    stack.append(item)
                }
            default:
                list.append(item)
            }
        }
    }
}
