import Foundation
import PostgresNIO
import WardenCore

/// Builds a parameterised query from optional filters: text with `$n` placeholders plus their bindings, so
/// no value is ever spliced into SQL.
struct SQLBuilder {
    private(set) var conditions: [String] = []
    private(set) var bindings = PostgresBindings()
    private var count = 0

    /// Adds a binding and returns its placeholder (`$3`).
    mutating func bind<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value) throws -> String {
        try bindings.append(value)
        count += 1
        return "$\(count)"
    }

    mutating func `where`(_ condition: String) {
        conditions.append(condition)
    }

    var whereClause: String {
        conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }

    func query(_ sql: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    /// `%text%` for LIKE, with LIKE's own metacharacters escaped.
    static func containsPattern(_ text: String) -> String {
        let escaped = text.lowercased().replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return "%\(escaped)%"
    }
}
