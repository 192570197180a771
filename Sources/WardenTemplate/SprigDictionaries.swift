extension TemplateFunctions {
    static let sprigDictionaries: [String: TemplateFunction] = [
        "dict": TemplateFunction([], variadic: .any) { arguments in
            var entries: [String: TemplateValue] = [:]
            var index = 0
            while index < arguments.count {
                let key = stringValue(arguments[index])
                entries[key] = index + 1 < arguments.count ? arguments[index + 1] : .string("")
                index += 2
            }
            return .anyMap(entries)
        },
        "get": TemplateFunction([.anyMap, .string]) { arguments in
            arguments[0].mapEntries[arguments[1].stringValue] ?? .string("")
        },
        // Go maps are references: `set` changes the map it is given. Values here are copies, so `set` returns the
        // changed map (as sprig does); templates that rely on the side effect through another variable differ.
        "set": TemplateFunction([.anyMap, .string, .any]) { arguments in
            var entries = arguments[0].mapEntries
            entries[arguments[1].stringValue] = arguments[2]
            return .anyMap(entries)
        },
        "unset": TemplateFunction([.anyMap, .string]) { arguments in
            var entries = arguments[0].mapEntries
            entries[arguments[1].stringValue] = nil
            return .anyMap(entries)
        },
        "hasKey": TemplateFunction([.anyMap, .string]) { arguments in
            .bool(arguments[0].mapEntries[arguments[1].stringValue] != nil)
        },
        "pluck": TemplateFunction([.string], variadic: .anyMap) { arguments in
            let key = arguments[0].stringValue
            return .anyList(arguments.dropFirst().compactMap { $0.mapEntries[key] })
        },
        "keys": TemplateFunction([], variadic: .anyMap) { arguments in
            // Go's map order is random; Warden's is sorted, one of the orders Go may give.
            .stringList(arguments.flatMap { $0.mapEntries.keys.sorted(by: GoString.less) })
        },
        "pick": TemplateFunction([.anyMap], variadic: .string) { arguments in
            let entries = arguments[0].mapEntries
            var picked: [String: TemplateValue] = [:]
            for key in arguments.dropFirst() { picked[key.stringValue] = entries[key.stringValue] }
            return .anyMap(picked)
        },
        "omit": TemplateFunction([.anyMap], variadic: .string) { arguments in
            var entries = arguments[0].mapEntries
            for key in arguments.dropFirst() { entries[key.stringValue] = nil }
            return .anyMap(entries)
        },
        "dig": TemplateFunction([], variadic: .any) { (arguments) throws(Failure) in
            guard arguments.count >= 3 else { throw Failure("dig needs at least three arguments") }
            guard case .map(let entries, _) = arguments[arguments.count - 1] else {
                throw Failure("interface conversion: interface {} is \(arguments[arguments.count - 1].goTypeName), not map[string]interface {}")
            }
            let fallback = arguments[arguments.count - 2]
            var current = entries
            let keys = arguments.dropLast(2)
            for (offset, key) in keys.enumerated() {
                guard case .string(let name) = key else {
                    throw Failure("interface conversion: interface {} is \(key.goTypeName), not string")
                }
                guard let value = current[name] else { return fallback }
                if offset == keys.count - 1 { return value }
                guard case .map(let next, .any) = value else {
                    throw Failure("interface conversion: interface {} is \(value.goTypeName), not map[string]interface {}")
                }
                current = next
            }
            return fallback
        },
    ]
}
