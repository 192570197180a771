extension TemplateFunctions {
    private static func listFunction(_ body: @escaping @Sendable ([TemplateValue]) throws(Failure) -> TemplateValue, verb: String) -> TemplateFunction
    {
        TemplateFunction([.any]) { (arguments) throws(Failure) in try body(try elements(arguments[0], verb)) }
    }

    private static func noNil(_ value: TemplateValue, _ verb: String) throws(Failure) -> TemplateValue {
        // reflect.TypeOf(nil).Kind() panics in sprig.
        if value == .null { throw Failure("runtime error: invalid memory address or nil pointer dereference") }
        return value
    }

    static let sprigLists: [String: TemplateFunction] = [
        "list": TemplateFunction([], variadic: .any) { arguments in .anyList(arguments) },
        "first": TemplateFunction([.any]) { (arguments) throws(Failure) in
            let values = try elements(try noNil(arguments[0], "first"), "find first")
            return values.first ?? .null
        },
        "last": TemplateFunction([.any]) { (arguments) throws(Failure) in
            let values = try elements(try noNil(arguments[0], "last"), "find last")
            return values.last ?? .null
        },
        "rest": TemplateFunction([.any]) { (arguments) throws(Failure) in
            let values = try elements(try noNil(arguments[0], "rest"), "find rest")
            return values.isEmpty ? .list([], element: .any) : .anyList(Array(values.dropFirst()))
        },
        "initial": TemplateFunction([.any]) { (arguments) throws(Failure) in
            let values = try elements(try noNil(arguments[0], "initial"), "find initial")
            return values.isEmpty ? .list([], element: .any) : .anyList(Array(values.dropLast()))
        },
        "append": TemplateFunction([.any, .any]) { (arguments) throws(Failure) in
            .anyList(try elements(try noNil(arguments[0], "push"), "push") + [arguments[1]])
        },
        "prepend": TemplateFunction([.any, .any]) { (arguments) throws(Failure) in
            .anyList([arguments[1]] + (try elements(try noNil(arguments[0], "prepend"), "prepend")))
        },
        "concat": TemplateFunction([], variadic: .any) { (arguments) throws(Failure) in
            var values: [TemplateValue] = []
            for list in arguments {
                guard let elements = list.listElements else { throw Failure("Cannot concat type \(list.goKindName) as list") }
                values += elements
            }
            return .anyList(values)
        },
        // Quadratic, as sprig's: each comparison is charged to the rendering's work.
        "uniq": TemplateFunction(
            [.any],
            metered: { (arguments, work) throws(Failure) in
                var unique: [TemplateValue] = []
                for value in try elements(try noNil(arguments[0], "uniq"), "find uniq") {
                    work -= unique.count
                    guard work >= 0 else { throw Failure("uniq: the template's work limit was reached") }
                    if !unique.contains(value) { unique.append(value) }
                }
                return .anyList(unique)
            }),
        "without": TemplateFunction([.any], variadic: .any) { (arguments) throws(Failure) in
            let omit = Array(arguments.dropFirst())
            return .anyList(try elements(try noNil(arguments[0], "without"), "find without").filter { !omit.contains($0) })
        },
        "has": TemplateFunction([.any, .any]) { (arguments) throws(Failure) in
            if arguments[1] == .null { return .bool(false) }
            return .bool(try elements(arguments[1], "find has").contains(arguments[0]))
        },
        "compact": TemplateFunction([.any]) { (arguments) throws(Failure) in
            .anyList(try elements(try noNil(arguments[0], "compact"), "compact").filter { !$0.isEmpty })
        },
        "reverse": TemplateFunction([.any]) { (arguments) throws(Failure) in
            .anyList(try elements(try noNil(arguments[0], "reverse"), "find reverse").reversed())
        },
        "sortAlpha": TemplateFunction([.any]) { arguments in
            switch arguments[0] {
            case .list: return .stringList(stringSlice(arguments[0]).sorted(by: GoString.less))
            default: return .stringList([stringValue(arguments[0])])
            }
        },
        "slice": TemplateFunction([.any], variadic: .any) { (arguments) throws(Failure) in
            let values = try elements(try noNil(arguments[0], "slice"), "list should be type of slice or array but")
            if values.isEmpty { return .null }
            let start = arguments.count > 1 ? Int(clamping: int64Value(arguments[1])) : 0
            let end = arguments.count > 2 ? Int(clamping: int64Value(arguments[2])) : values.count
            guard start >= 0, end <= values.count, start <= end else {
                throw Failure("reflect: slice index out of range")
            }
            guard case .list(_, let element) = arguments[0] else { return .null }
            return .list(Array(values[start..<end]), element: element)
        },
        "until": TemplateFunction([.int]) { (arguments) throws(Failure) in
            try integerRange(0, arguments[0].intValue, arguments[0].intValue >= 0 ? 1 : -1)
        },
        "untilStep": TemplateFunction([.int, .int, .int]) { (arguments) throws(Failure) in
            let step = arguments[2].intValue
            let start = arguments[0].intValue
            let stop = arguments[1].intValue
            if step == 0 || (step > 0 && start >= stop) || (step < 0 && start <= stop) { return .list([], element: .int) }
            return try integerRange(start, stop, step)
        },
    ]

    /// `[start, stop)` by `step` as a Go `[]int`, bounded so that no template can allocate without limit.
    private static func integerRange(_ start: Int, _ stop: Int, _ step: Int) throws(Failure) -> TemplateValue {
        let span = step > 0 ? stop.subtractingReportingOverflow(start) : start.subtractingReportingOverflow(stop)
        guard !span.overflow else { throw Failure("range too long") }
        let count = max(0, (span.partialValue + abs(step) - 1) / abs(step))
        guard count <= 1_000_000 else { throw Failure("range of \(count) elements is longer than 1,000,000") }
        var values: [TemplateValue] = []
        values.reserveCapacity(count)
        var value = start
        for _ in 0..<count {
            values.append(.goInt(value))
            value = value &+ step
        }
        return .list(values, element: .int)
    }
}
