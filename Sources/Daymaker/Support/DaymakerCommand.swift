import DaymakerCore
import Vapor

/// A Daymaker command, read the same way whichever it is: an option that takes several values may be repeated
/// (`--scope read --scope write`) as well as comma-separated; any other option given twice, an option without its
/// value, or input no option takes is refused by name; `--help` ends with examples; and a validation failure names
/// the options (`--timezone`), not the API's field names (`timeZone`).
protocol DaymakerCommand: AsyncCommand {
    /// Options that take several values.
    var listOptions: Set<String> { get }
    /// Whole command lines, shown at the end of `--help`.
    var examples: [String] { get }
    /// The option that carries a validated field, where its name is not the field's in kebab case
    /// (`timeZone` → `timezone`; `expiresIn` → `expires-in` needs no entry).
    var fieldOptions: [String: String] { get }
}

extension DaymakerCommand {
    var listOptions: Set<String> { [] }
    var fieldOptions: [String: String] { [:] }

    func run(using context: inout CommandContext) async throws {
        let shape = CommandLineShape(Signature(), lists: listOptions)
        let command = (["daymaker"] + context.input.executablePath.dropFirst()).joined(separator: " ")
        do {
            context.input.arguments = try shape.normalized(context.input.arguments)
            let signature = try Signature(from: &context.input)
            try await run(using: context, signature: signature)
        } catch let error as CommandLineError {
            context.console.error(error.message)
            context.console.error("See `\(command) --help` for its options and an example.")
            throw ExitCode.failure
        } catch let failure as ValidationFailure {
            for line in shape.describe(failure, fieldOptions: fieldOptions) { context.console.error(line) }
            context.console.error("See `\(command) --help` for its options and an example.")
            throw ExitCode.failure
        } catch let error as any DomainError {
            context.console.error(error.description)
            throw ExitCode.failure
        }
    }

    func outputHelp(using context: inout CommandContext) {
        context.console.output(
            "Usage: ".consoleText(.info) + context.input.executable.consoleText() + " ", newLine: false)
        Signature().outputHelp(help: help, using: &context)
        guard !examples.isEmpty else { return }
        context.console.print()
        context.console.output("Examples:".consoleText(.info))
        for example in examples { context.console.print("  " + example) }
    }
}

/// A mistake on the command line, in words that name the option.
struct CommandLineError: Error, Equatable {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    /// `--customers: must be a whole number from 1 to 50000000`.
    static func invalid(_ option: String, _ detail: String) -> CommandLineError {
        CommandLineError("--\(option): \(detail)")
    }
}

/// The options and flags a command's signature declares, and the rules for reading them.
struct CommandLineShape {
    var options: [String]
    var flags: Set<String>
    var lists: Set<String>
    /// Values given without an option, in order (`daymaker import cdr FILE`).
    var arguments: [String]

    init(options: [String], flags: Set<String> = [], lists: Set<String> = [], arguments: [String] = []) {
        self.options = options
        self.flags = flags
        self.lists = lists
        self.arguments = arguments
    }

    init(_ signature: some CommandSignature, lists: Set<String>) {
        let children = Mirror(reflecting: signature).children
        self.init(
            options: children.compactMap { ($0.value as? Option<String>)?.name },
            flags: Set(children.compactMap { ($0.value as? Flag)?.name }), lists: lists,
            arguments: children.compactMap { ($0.value as? Argument<String>)?.name })
    }

    /// The arguments with each option given once (a repeated list option's values joined with commas), in the form
    /// ConsoleKit reads; refuses what ConsoleKit would misread or silently drop.
    func normalized(_ arguments: [String]) throws(CommandLineError) -> [String] {
        var values: [String: [String]] = [:]
        var order: [String] = []
        var flagsGiven: [String] = []
        var positional: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            let name = String(argument.drop { $0 == "-" })
            if argument.hasPrefix("--"), options.contains(name) {
                let valueIndex = arguments.index(after: index)
                guard valueIndex < arguments.endIndex, !arguments[valueIndex].hasPrefix("--") else {
                    throw CommandLineError.invalid(name, "needs a value")
                }
                if values[name] == nil {
                    order.append(name)
                } else if !lists.contains(name) {
                    throw CommandLineError.invalid(name, "was given more than once; give it once")
                }
                values[name, default: []].append(arguments[valueIndex])
                index = arguments.index(after: valueIndex)
            } else if argument.hasPrefix("--"), flags.contains(name) {
                flagsGiven.append(argument)
                index = arguments.index(after: index)
            } else if !argument.hasPrefix("-"), positional.count < self.arguments.count {
                positional.append(argument)
                index = arguments.index(after: index)
            } else {
                let known = (options + flags.sorted()).map { "--" + $0 }
                throw CommandLineError(
                    argument.hasPrefix("-")
                        ? "\(argument) is not an option of this command; it takes \(known.isEmpty ? "none" : known.joined(separator: ", "))"
                        : "'\(argument)' was not expected; values follow their option, as in --\(options.first ?? "option") VALUE"
                )
            }
        }
        if positional.count < self.arguments.count {
            throw CommandLineError("needs \(self.arguments[positional.count].uppercased()), as in the examples")
        }
        // ConsoleKit reads a value beginning with - as a missing value unless it is escaped with a backslash.
        return positional + flagsGiven
            + order.flatMap { name -> [String] in
                let value = values[name, default: []].joined(separator: ",")
                return ["--" + name, value.hasPrefix("-") ? "\\" + value : value]
            }
    }

    /// A validation failure in lines that name the options: `--timezone: 'Mars' is not an IANA time zone …`.
    func describe(_ failure: ValidationFailure, fieldOptions: [String: String]) -> [String] {
        failure.errors.map { error in
            let field = String(error.field.prefix { $0 != "[" })
            let option = fieldOptions[field] ?? Self.kebabCase(field)
            return options.contains(option) ? "--\(option): \(error.detail)" : "\(error.field): \(error.detail)"
        }
    }

    /// `expiresIn` → `expires-in`.
    static func kebabCase(_ name: String) -> String {
        name.reduce(into: "") { out, character in
            if character.isUppercase { out += "-" + character.lowercased() } else { out.append(character) }
        }
    }
}
