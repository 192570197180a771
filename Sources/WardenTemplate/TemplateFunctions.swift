/// The function sets templates can call.
public enum TemplateFunctions {
    /// The longest string a function that multiplies its input (`repeat`, `indent`, `replace`, `printf`, …) makes,
    /// in bytes: checked before the string is built.
    static let maximumResult = 1 << 20

    /// Throws unless a result of `size` bytes is within ``maximumResult``.
    static func ensureResult(_ size: Int, of name: String) throws(TemplateFunction.Failure) {
        guard size <= maximumResult else { throw TemplateFunction.Failure("\(name): result longer than 1 MiB") }
    }

    /// What step-ca gives X.509 and SSH templates: Go's builtins, the sprig functions Warden implements (see
    /// ``sprig``), and step's `fail`. sprig's `env` and `expandenv` are left out, as step-ca does.
    public static let step: [String: TemplateFunction] = {
        var functions = builtins
        functions.merge(sprig) { _, sprig in sprig }
        functions["fail"] = TemplateFunction([.string]) { (arguments) throws(TemplateFunction.Failure) in
            throw TemplateFunction.Failure(arguments[0].stringValue, isTemplateFailure: true)
        }
        return functions
    }()
}

extension TemplateValue {
    /// The Go string of a value known to be a `string` (the executor checked the parameter type).
    var stringValue: String {
        if case .string(let text) = self { return text }
        return ""
    }

    /// The Go `int` of a value known to be an `int`.
    var intValue: Int {
        if case .int(let value, _) = self { return Int(clamping: value) }
        return 0
    }

    /// The elements of a slice, or nil for anything else (sprig's `reflect.Slice` test).
    var listElements: [TemplateValue]? {
        if case .list(let values, _) = self { return values }
        return nil
    }

    /// The entries of a map (a missing map parameter arrives as an empty one).
    var mapEntries: [String: TemplateValue] {
        if case .map(let values, _) = self { return values }
        return [:]
    }
}
