import ArgumentParser
import Foundation
import WardenCore
import WardenTemplate

/// `warden template render`: renders a template file (Go `text/template` with step's functions) on this host, the
/// way the CA renders provisioner templates, to try one before installing it.
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Try templates locally (Go text/template with step's functions).", subcommands: [Render.self])

    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a template with JSON data; prints the output, or the error with its line and column.",
            discussion: """
                Examples:
                  warden template render leaf.tpl --data data.json
                  warden template render --corpus Tests/TemplateCorpus/corpus.txt   (one JSON line per case, as interop/template-render)
                """)

        @Argument(help: "Template file.") var file: String?
        @Option(help: "JSON file with the data (dot); default {}.") var data: String?
        @Option(help: "Render every case of a corpus file and print one JSON line per case.") var corpus: String?

        func validate() throws {
            if (file == nil) == (corpus == nil) { throw ValidationError("give a template FILE or --corpus FILE") }
        }

        func run() async throws {
            if let corpus {
                try renderCorpus(corpus)
                return
            }
            guard let file else { return }
            let text = try readText(file)
            var value = TemplateValue.map([:], element: .any)
            if let data {
                guard let json = TemplateJSON.parse(try readText(data)) else { throw WardenError.badRequest("\(data): not JSON") }
                value = TemplateValue(json: json)
            }
            do {
                let output = try Template(parsing: text, name: (file as NSString).lastPathComponent).render(value)
                FileHandle.standardOutput.write(Data(output.utf8))
            } catch {
                throw WardenError.badRequest(error.description)
            }
        }

        private func readText(_ path: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else { throw WardenError.notFound("\(path): cannot read") }
            return String(decoding: data, as: UTF8.self)
        }

        private func renderCorpus(_ path: String) throws {
            let corpus = try TemplateCorpus(text: readText(path))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for testCase in corpus.cases {
                var line: [String: TemplateCorpus.Field] = ["name": .text(testCase.name)]
                do {
                    guard let json = TemplateJSON.parse(testCase.data ?? corpus.defaultData) else {
                        throw WardenError.badRequest("corpus data of \(testCase.name) is not JSON")
                    }
                    let output = try Template(parsing: testCase.template, name: testCase.name).render(TemplateValue(json: json))
                    line["ok"] = .flag(true)
                    line["output"] = .text(output)
                } catch let error as TemplateError {
                    line["ok"] = .flag(false)
                    line["error"] = .text(error.description)
                }
                FileHandle.standardOutput.write(try encoder.encode(line) + Data("\n".utf8))
            }
        }
    }
}

/// A corpus of template cases: a `### data` header with the default data (one JSON line), then cases, each a line
/// `### NAME` or `### NAME {json}` followed by the template text up to the next `### ` line (the final newline excluded).
/// The same format `interop/template-render` (Go) reads.
struct TemplateCorpus {
    struct Case {
        var name: String
        var data: String?
        var template: String
    }

    enum Field: Encodable {
        case text(String)
        case flag(Bool)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .flag(let flag): try container.encode(flag)
            }
        }
    }

    var defaultData = "{}"
    var cases: [Case] = []

    init(text: String) throws {
        var current: Case?
        var body: [Substring] = []
        var readingData = false
        func flush() {
            if var finished = current {
                finished.template = body.joined(separator: "\n")
                cases.append(finished)
            }
            body = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if readingData {
                defaultData = String(line)
                readingData = false
                continue
            }
            if line.hasPrefix("### ") {
                flush()
                let header = line.dropFirst(4)
                if header == "data" {
                    readingData = true
                    current = nil
                    continue
                }
                let name = header.prefix { $0 != " " }
                let data = header.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
                current = Case(name: String(name), data: data.isEmpty ? nil : data, template: "")
                continue
            }
            if current != nil { body.append(line) }
        }
        // Go's scanner drops the text's final newline as a line terminator.
        if body.last == "" && text.hasSuffix("\n") { body.removeLast() }
        flush()
    }
}
