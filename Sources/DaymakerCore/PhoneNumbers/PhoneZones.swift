/// The time zone a phone number places its owner in, by libphonenumber's data (`time_zones_for_number`): where a
/// campaign calls a caller Daymaker knows nothing else about.
public enum PhoneZones {
    private static let zones: [Substring: Substring] = {
        var zones: [Substring: Substring] = [:]
        for line in table.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            zones[line[..<space]] = line[line.index(after: space)...]
        }
        return zones
    }()
    private static let longestPrefix = zones.keys.map(\.count).max() ?? 0

    /// The zone of a valid E.164 number when libphonenumber names exactly one: by its longest known prefix for a
    /// fixed line (or a mobile in a country whose mobile ranges are geographic), by its country otherwise. Nil when
    /// it names several (most mobiles of a country with several zones) or the number is not valid.
    public static func zone(for e164: String) -> String? {
        guard e164.hasPrefix("+") else { return nil }
        let digits = e164.utf8.dropFirst().map { $0 &- UInt8(ascii: "0") }
        guard digits.allSatisfy({ $0 < 10 }), let (code, nsn) = PhoneRegion.callingCode(leading: digits[...]),
            let (_, kind) = PhoneRegion.validRegion(callingCode: code, nsn: Array(nsn))
        else { return nil }
        let geographic = kind == .fixedLine || (kind == .mobile && geographicMobile.contains(code))
        let text = String(decoding: digits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
        let lookup = geographic ? Substring(text) : Substring(String(code))
        for length in stride(from: min(lookup.count, longestPrefix), through: 1, by: -1) {
            if let zone = zones[lookup.prefix(length)] { return zone == "-" ? nil : String(zone) }
        }
        return nil
    }
}
