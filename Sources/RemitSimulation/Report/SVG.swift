import Foundation

/// Small SVG charts drawn by hand: no scripts, no fonts, no external files, so a report is one
/// self-contained HTML page that any browser (or a headless one) renders the same.
enum SVG {
    static let palette = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d"]

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func number(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1_000_000 { return String(format: "%.1fM", value / 1_000_000) }
        if magnitude >= 1_000 { return String(format: "%.1fk", value / 1_000) }
        if magnitude >= 10 { return String(format: "%.0f", value) }
        if magnitude >= 0.01 { return String(format: "%.2f", value) }
        return String(format: "%.1e", value)
    }

    /// "Nice" upper bound for an axis holding `value`.
    static func niceMax(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let exponent = floor(log10(value))
        let base = pow(10, exponent)
        for step in [1.0, 2.0, 2.5, 5.0, 10.0] where step * base >= value { return step * base }
        return 10 * base
    }

    struct Frame {
        var width = 720.0
        var height = 300.0
        var left = 64.0
        var right = 16.0
        var top = 20.0
        var bottom = 44.0
        var plotWidth: Double { width - left - right }
        var plotHeight: Double { height - top - bottom }
    }

    static func open(_ frame: Frame, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(frame.width)) \(Int(frame.height))\" role=\"img\" aria-label=\"\(escape(title))\" font-family=\"sans-serif\" font-size=\"11\">"
    }

    static func axes(_ f: Frame, xMax: Double, yMax: Double, xLabel: String, yLabel: String, xFormat: (Double) -> String = number) -> String {
        var out = ""
        for i in 0...4 {
            let y = f.top + f.plotHeight * (1 - Double(i) / 4)
            out += "<line x1=\"\(f.left)\" y1=\"\(y)\" x2=\"\(f.left + f.plotWidth)\" y2=\"\(y)\" stroke=\"#e5e7eb\"/>"
            out += "<text x=\"\(f.left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\" fill=\"#374151\">\(number(yMax * Double(i) / 4))</text>"
            let x = f.left + f.plotWidth * Double(i) / 4
            out += "<text x=\"\(x)\" y=\"\(f.top + f.plotHeight + 16)\" text-anchor=\"middle\" fill=\"#374151\">\(xFormat(xMax * Double(i) / 4))</text>"
        }
        out += "<line x1=\"\(f.left)\" y1=\"\(f.top + f.plotHeight)\" x2=\"\(f.left + f.plotWidth)\" y2=\"\(f.top + f.plotHeight)\" stroke=\"#6b7280\"/>"
        out += "<line x1=\"\(f.left)\" y1=\"\(f.top)\" x2=\"\(f.left)\" y2=\"\(f.top + f.plotHeight)\" stroke=\"#6b7280\"/>"
        out += "<text x=\"\(f.left + f.plotWidth / 2)\" y=\"\(f.height - 6)\" text-anchor=\"middle\" fill=\"#111827\">\(escape(xLabel))</text>"
        out += "<text x=\"14\" y=\"\(f.top + f.plotHeight / 2)\" text-anchor=\"middle\" fill=\"#111827\" transform=\"rotate(-90 14 \(f.top + f.plotHeight / 2))\">\(escape(yLabel))</text>"
        return out
    }

    /// Vertical bars, one per value.
    static func bars(_ values: [Double], title: String, xLabel: String, yLabel: String, color: String = palette[0]) -> String {
        let f = Frame()
        let yMax = niceMax(values.max() ?? 0)
        var out = open(f, title: title) + axes(f, xMax: Double(values.count), yMax: yMax, xLabel: xLabel, yLabel: yLabel)
        let width = f.plotWidth / Double(max(values.count, 1))
        for (i, value) in values.enumerated() {
            let h = f.plotHeight * value / yMax
            out += "<rect x=\"\(f.left + Double(i) * width + width * 0.1)\" y=\"\(f.top + f.plotHeight - h)\" width=\"\(width * 0.8)\" height=\"\(h)\" fill=\"\(color)\"><title>\(i): \(number(value))</title></rect>"
        }
        return out + "</svg>"
    }

    /// Lines, one per series, with a legend.
    static func lines(_ series: [(name: String, points: [(x: Double, y: Double)])], title: String, xLabel: String, yLabel: String, yMax fixed: Double? = nil, diagonal: Bool = false) -> String {
        let f = Frame()
        let xMax = series.flatMap { $0.points.map(\.x) }.max() ?? 1
        let yMax = fixed ?? niceMax(series.flatMap { $0.points.map(\.y) }.max() ?? 0)
        var out = open(f, title: title) + axes(f, xMax: xMax, yMax: yMax, xLabel: xLabel, yLabel: yLabel)
        func point(_ p: (x: Double, y: Double)) -> String {
            String(format: "%.2f,%.2f", f.left + f.plotWidth * p.x / max(xMax, 1e-12), f.top + f.plotHeight * (1 - p.y / max(yMax, 1e-12)))
        }
        if diagonal {
            out += "<polyline points=\"\(point((0, 0))) \(point((xMax, yMax)))\" fill=\"none\" stroke=\"#9ca3af\" stroke-dasharray=\"4 3\"/>"
        }
        for (i, s) in series.enumerated() {
            let color = palette[i % palette.count]
            out += "<polyline points=\"\(s.points.map(point).joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            out += "<rect x=\"\(f.left + 8)\" y=\"\(f.top + 4 + Double(i) * 14)\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            out += "<text x=\"\(f.left + 22)\" y=\"\(f.top + 13 + Double(i) * 14)\" fill=\"#111827\">\(escape(s.name))</text>"
        }
        return out + "</svg>"
    }

    /// Horizontal bars with labels (largest first), coloured by group.
    static func horizontalBars(_ items: [(label: String, value: Double, group: String)], groups: [String], title: String, unit: String) -> String {
        let rowHeight = 18.0
        var f = Frame()
        f.left = 230
        f.height = f.top + f.bottom + rowHeight * Double(max(items.count, 1))
        let xMax = niceMax(items.map(\.value).max() ?? 0)
        var out = open(f, title: title)
        for (i, item) in items.enumerated() {
            let y = f.top + Double(i) * rowHeight
            let w = f.plotWidth * item.value / xMax
            let color = palette[(groups.firstIndex(of: item.group) ?? 0) % palette.count]
            out += "<text x=\"\(f.left - 6)\" y=\"\(y + 12)\" text-anchor=\"end\" fill=\"#111827\">\(escape(String(item.label.prefix(36))))</text>"
            out += "<rect x=\"\(f.left)\" y=\"\(y + 2)\" width=\"\(max(w, 1))\" height=\"\(rowHeight - 4)\" fill=\"\(color)\"><title>\(number(item.value)) \(unit)</title></rect>"
            out += "<text x=\"\(f.left + max(w, 1) + 4)\" y=\"\(y + 12)\" fill=\"#374151\">\(number(item.value))</text>"
        }
        for (i, group) in groups.enumerated() {
            let x = f.left + Double(i) * 110
            out += "<rect x=\"\(x)\" y=\"\(f.height - 24)\" width=\"10\" height=\"10\" fill=\"\(palette[i % palette.count])\"/>"
            out += "<text x=\"\(x + 14)\" y=\"\(f.height - 15)\" fill=\"#111827\">\(escape(group))</text>"
        }
        return out + "</svg>"
    }
}
