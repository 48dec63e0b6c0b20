import Foundation

/// A bar chart drawn as SVG on the server (no charting library, no JavaScript): categories along the bottom, one
/// bar per category stacked from its series, a scale on the left, a legend. It is an image with a title and a
/// description for screen readers; the page shows the same numbers in a table beside it. Colours come from the
/// stylesheet (`series-0` …), so they follow the page's theme.
public struct BarChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var values: [Double]

        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    public var title: String
    public var categories: [String]
    public var series: [Series]
    /// The scale's top; nil: from the data.
    public var maximum: Double?
    /// How a value reads on the scale (`12`, `85 %`).
    public var format: @Sendable (Double) -> String

    public init(
        title: String, categories: [String], series: [Series], maximum: Double? = nil,
        format: @escaping @Sendable (Double) -> String = { String(Int($0.rounded())) }
    ) {
        self.title = title
        self.categories = categories
        self.series = series
        self.maximum = maximum
        self.format = format
    }

    static let width = 720.0
    static let height = 240.0
    static let left = 48.0
    static let bottom = 28.0
    static let top = 12.0

    /// The chart as an SVG element.
    public var svg: String {
        let totals = categories.indices.map { index in
            series.reduce(0) { $0 + ($1.values.count > index ? $1.values[index] : 0) }
        }
        let top = Self.niceCeiling(maximum ?? max(totals.max() ?? 0, 1))
        let plotWidth = Self.width - Self.left - 8
        let plotHeight = Self.height - Self.bottom - Self.top
        let slot = categories.isEmpty ? plotWidth : plotWidth / Double(categories.count)
        let barWidth = max(1, slot * 0.7)
        func y(_ value: Double) -> Double { Self.top + plotHeight - plotHeight * min(value, top) / top }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height + 22))" \
            role="img" aria-labelledby="\(id)-title"><title id="\(id)-title">\(XMLText.escape(title))</title>
            """
        // The scale: 0, half and the top.
        for value in [0, top / 2, top] {
            svg +=
                "<line class=\"grid\" x1=\"\(number(Self.left))\" x2=\"\(number(Self.width - 8))\" y1=\"\(number(y(value)))\" y2=\"\(number(y(value)))\"/>"
            svg +=
                "<text class=\"scale\" x=\"\(number(Self.left - 6))\" y=\"\(number(y(value) + 4))\" text-anchor=\"end\">\(XMLText.escape(format(value)))</text>"
        }
        let labelEvery = max(1, Int((Double(categories.count) / 16).rounded(.up)))
        for (index, category) in categories.enumerated() {
            let x = Self.left + Double(index) * slot + (slot - barWidth) / 2
            var base = 0.0
            for (seriesIndex, series) in series.enumerated() {
                let value = series.values.count > index ? series.values[index] : 0
                guard value > 0 else { continue }
                let label = "\(category) · \(series.name): \(format(value))"
                svg +=
                    "<rect class=\"series-\(seriesIndex % 6)\" x=\"\(number(x))\" y=\"\(number(y(base + value)))\" width=\"\(number(barWidth))\" height=\"\(number(y(base) - y(base + value)))\"><title>\(XMLText.escape(label))</title></rect>"
                base += value
            }
            if index % labelEvery == 0 {
                svg +=
                    "<text class=\"category\" x=\"\(number(x + barWidth / 2))\" y=\"\(number(Self.height - Self.bottom + 16))\" text-anchor=\"middle\">\(XMLText.escape(category))</text>"
            }
        }
        // The legend, when there is more than one series.
        if series.count > 1 {
            var x = Self.left
            for (seriesIndex, series) in series.enumerated() {
                svg +=
                    "<rect class=\"series-\(seriesIndex % 6)\" x=\"\(number(x))\" y=\"\(number(Self.height + 8))\" width=\"10\" height=\"10\"/>"
                svg +=
                    "<text class=\"legend\" x=\"\(number(x + 14))\" y=\"\(number(Self.height + 17))\">\(XMLText.escape(series.name))</text>"
                x += 24 + Double(series.name.count) * 7
            }
        }
        return svg + "</svg>"
    }

    /// An id for the chart's title, from its title.
    var id: String {
        "chart-" + title.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    /// The next round number at or above `value` (1, 2 or 5 times a power of ten), so the scale reads easily.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let power = pow(10, floor(log10(value)))
        for step in [1.0, 2, 5, 10] where step * power >= value { return step * power }
        return 10 * power
    }
}
