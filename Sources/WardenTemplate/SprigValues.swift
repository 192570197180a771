import WardenCore

extension TemplateFunctions {
    private static func arithmetic(_ operation: @escaping @Sendable (Int64, Int64) throws(Failure) -> Int64) -> TemplateFunction {
        TemplateFunction([.any, .any]) { (arguments) throws(Failure) in
            .int(try operation(int64Value(arguments[0]), int64Value(arguments[1])), .int64)
        }
    }

    static let sprigValues: [String: TemplateFunction] = [
        "default": TemplateFunction([.any], variadic: .any) { arguments in
            arguments.count < 2 || arguments[1].isEmpty ? arguments[0] : arguments[1]
        },
        "empty": TemplateFunction([.any]) { arguments in .bool(arguments[0].isEmpty) },
        "coalesce": TemplateFunction([], variadic: .any) { arguments in arguments.first { !$0.isEmpty } ?? .null },
        "all": TemplateFunction([], variadic: .any) { arguments in .bool(arguments.allSatisfy { !$0.isEmpty }) },
        "any": TemplateFunction([], variadic: .any) { arguments in .bool(arguments.contains { !$0.isEmpty }) },
        "ternary": TemplateFunction([.any, .any, .bool]) { arguments in
            arguments[2] == .bool(true) ? arguments[0] : arguments[1]
        },
        "toJson": TemplateFunction([.any]) { arguments in .string((try? GoJSONEncoder().encode(arguments[0])) ?? "") },
        "mustToJson": TemplateFunction([.any]) { (arguments) throws(Failure) in
            do throws(GoJSONEncoder.UnsupportedValue) {
                return .string(try GoJSONEncoder().encode(arguments[0]))
            } catch {
                throw Failure(error.message)
            }
        },
        // sprig ignores encoding errors (""), but not a result too long to build.
        "toPrettyJson": TemplateFunction([.any]) { (arguments) throws(Failure) in
            do throws(GoJSONEncoder.UnsupportedValue) {
                return .string(try GoJSONEncoder(indent: "  ").encode(arguments[0]))
            } catch {
                if error.isTooLong { throw Failure(error.message) }
                return .string("")
            }
        },
        "toRawJson": TemplateFunction([.any]) { (arguments) throws(Failure) in
            do throws(GoJSONEncoder.UnsupportedValue) {
                return .string(try GoJSONEncoder(escapeHTML: false).encode(arguments[0]))
            } catch {
                throw Failure(error.message)
            }
        },
        "fromJson": TemplateFunction([.string]) { arguments in
            TemplateJSON.parse(arguments[0].stringValue).map(TemplateValue.init(json:)) ?? .null
        },
        "mustFromJson": TemplateFunction([.string]) { (arguments) throws(Failure) in
            guard let json = TemplateJSON.parse(arguments[0].stringValue) else { throw Failure("invalid JSON") }
            return TemplateValue(json: json)
        },
        "typeOf": TemplateFunction([.any]) { arguments in .string(arguments[0].goTypeName) },
        "typeIs": TemplateFunction([.string, .any]) { arguments in .bool(arguments[0].stringValue == arguments[1].goTypeName) },
        "typeIsLike": TemplateFunction([.string, .any]) { arguments in
            let type = arguments[1].goTypeName
            return .bool(arguments[0].stringValue == type || "*" + arguments[0].stringValue == type)
        },
        "kindOf": TemplateFunction([.any]) { arguments in .string(arguments[0].goKindName) },
        "kindIs": TemplateFunction([.string, .any]) { arguments in .bool(arguments[0].stringValue == arguments[1].goKindName) },
        "deepEqual": TemplateFunction([.any, .any]) { arguments in .bool(arguments[0] == arguments[1]) },
        "atoi": TemplateFunction([.string]) { arguments in
            .goInt(
                Int(
                    arguments[0].stringValue.utf8.first == UInt8(ascii: "+") ? String(arguments[0].stringValue.dropFirst()) : arguments[0].stringValue
                ) ?? 0)
        },
        "int": TemplateFunction([.any]) { arguments in .int(int64Value(arguments[0]), .int) },
        "int64": TemplateFunction([.any]) { arguments in .int(int64Value(arguments[0]), .int64) },
        "float64": TemplateFunction([.any]) { arguments in .float(float64Value(arguments[0])) },
        "add": TemplateFunction([], variadic: .any) { arguments in
            .int(arguments.reduce(Int64(0)) { $0 &+ int64Value($1) }, .int64)
        },
        "add1": TemplateFunction([.any]) { arguments in .int(int64Value(arguments[0]) &+ 1, .int64) },
        "sub": arithmetic { a, b in a &- b },
        "mul": TemplateFunction([.any], variadic: .any) { arguments in
            .int(arguments.dropFirst().reduce(int64Value(arguments[0])) { $0 &* int64Value($1) }, .int64)
        },
        "div": arithmetic { (a, b) throws(Failure) in
            guard b != 0 else { throw Failure("runtime error: integer divide by zero") }
            return a.dividedReportingOverflow(by: b).partialValue
        },
        "mod": arithmetic { (a, b) throws(Failure) in
            guard b != 0 else { throw Failure("runtime error: integer divide by zero") }
            return a.remainderReportingOverflow(dividingBy: b).partialValue
        },
        "max": TemplateFunction([.any], variadic: .any) { arguments in
            .int(arguments.map(int64Value).max() ?? 0, .int64)
        },
        "min": TemplateFunction([.any], variadic: .any) { arguments in
            .int(arguments.map(int64Value).min() ?? 0, .int64)
        },
    ]
}
