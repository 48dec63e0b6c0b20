import DaymakerCore
import Foundation
import Testing

/// Charts drawn on the server: bars to scale, stacked by series, labelled for screen readers, text escaped.
@Suite struct BarChartTests {
    @Test func barsAreToScaleStackedAndTitled() {
        let chart = BarChart(
            title: "Contacts <by> hour", categories: ["09", "10"],
            series: [.init(name: "voice", values: [30, 10]), .init(name: "chat & co", values: [10, 0])])
        let svg = chart.svg
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.contains(#"role="img""#))
        #expect(svg.contains("<title id=\"chart-contacts--by--hour-title\">Contacts &lt;by&gt; hour</title>"))
        // The scale rounds 40 up to 50: the plot is 200 high, so 30 is 120 and 10 is 40.
        #expect(svg.contains(#"height="120.0"><title>09 · voice: 30</title>"#))
        #expect(svg.contains(#"height="40.0"><title>09 · chat &amp; co: 10</title>"#))
        #expect(svg.contains(#"height="40.0"><title>10 · voice: 10</title>"#))
        // Nothing is drawn for a zero; the legend names both series.
        #expect(!svg.contains("10 · chat &amp; co"))
        #expect(svg.contains(">chat &amp; co</text>"))
        #expect(svg.contains(">50</text>"))
    }

    // Never below 1: the charts count contacts and percentages.
    @Test(arguments: [(0.4, 1.0), (1.0, 1.0), (7.0, 10.0), (40.0, 50.0), (101.0, 200.0), (0.0, 1.0)])
    func theScaleEndsOnARoundNumber(value: Double, ceiling: Double) {
        let chart = BarChart(
            title: "t", categories: ["a"], series: [.init(name: "s", values: [value])], format: { String($0) })
        // The top of the scale (its line at y = 12, its label 4 below).
        #expect(chart.svg.contains(#"y="16.0" text-anchor="end">\#(ceiling)</text>"#))
    }
}
