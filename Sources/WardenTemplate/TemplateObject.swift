/// A Go struct value in template data: ordered fields with their Go name (for `.Field`) and JSON name (for `toJson`).
public struct TemplateObject: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        /// The Go field name templates use: `CommonName`.
        public var name: String
        /// The JSON key `toJson` writes: `commonName`; empty for fields Go's JSON leaves out (`json:"-"`).
        public var jsonName: String
        /// Left out of JSON when empty (Go's `omitempty`).
        public var omitEmpty: Bool
        public var value: TemplateValue

        public init(name: String, jsonName: String, omitEmpty: Bool = true, value: TemplateValue) {
            self.name = name
            self.jsonName = jsonName
            self.omitEmpty = omitEmpty
            self.value = value
        }
    }

    /// Go's `%T` of the struct, e.g. `x509util.Subject`.
    public var typeName: String
    public var fields: [Field]

    public init(typeName: String, fields: [Field]) {
        self.typeName = typeName
        self.fields = fields
    }

    public subscript(name: String) -> TemplateValue? {
        fields.first { $0.name == name }?.value
    }
}
