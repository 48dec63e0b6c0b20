import Vapor

/// Helpers shared by the command-line tools.
enum CommandLineInput {
    /// Splits `RIDE,UTIL` or `"read write"` into values.
    static func list(_ raw: String?) -> [String] {
        (raw ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }

    /// Reads a secret from standard input: a hidden prompt on a terminal, the first line of a pipe otherwise.
    static func secret(prompt: String, console: any Console) -> String? {
        if isatty(FileHandle.standardInput.fileDescriptor) != 0 {
            console.output(ConsoleText(stringLiteral: prompt), newLine: false)
            return console.input(isSecure: true)
        }
        return readLine(strippingNewline: true)
    }

    /// A whole number typed for `--option`, within `range`; nil when the option was not given.
    static func number(_ raw: String?, _ option: String, in range: ClosedRange<Int>) throws(CommandLineError) -> Int? {
        guard let raw else { return nil }
        guard let value = Int(raw), range.contains(value) else {
            let accepted =
                range.upperBound == Int.max
                ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
            throw CommandLineError.invalid(option, "'\(raw)' is not a whole number \(accepted)")
        }
        return value
    }
}

/// A non-zero exit without a second error message (already printed).
public enum ExitCode: Error { case failure }
