import Foundation

extension SVG {
    /// A three-column flow diagram (Sankey): sources on the left, models in the middle, receivers
    /// on the right; band widths are proportional to credits.
    static func sankey(_ flows: [Flow], left: [String], middle: [String], right: [String], title: String) -> String {
        var f = Frame()
        f.height = 420
        f.left = 150
        f.right = 170
        let columns = [left, middle, right]
        var incoming: [String: Double] = [:]
        var outgoing: [String: Double] = [:]
        for flow in flows {
            outgoing[flow.from, default: 0] += flow.credits
            incoming[flow.to, default: 0] += flow.credits
        }
        func value(_ node: String) -> Double { max(incoming[node] ?? 0, outgoing[node] ?? 0) }
        let gap = 10.0
        let scale = columns.map { column -> Double in
            let total = column.reduce(0) { $0 + value($1) }
            return total > 0 ? (f.plotHeight - gap * Double(max(column.count - 1, 0))) / total : 0
        }.filter { $0 > 0 }.min() ?? 0
        var positions: [String: (x: Double, y: Double, h: Double)] = [:]
        let xs = [f.left, f.left + f.plotWidth / 2 - 7, f.left + f.plotWidth - 14]
        for (c, column) in columns.enumerated() {
            var y = f.top
            for node in column {
                let h = max(value(node) * scale, 1)
                positions[node] = (xs[c], y, h)
                y += h + gap
            }
        }
        var out = open(f, title: title)
        var outOffset: [String: Double] = [:]
        var inOffset: [String: Double] = [:]
        for (i, flow) in flows.enumerated() {
            guard let a = positions[flow.from], let b = positions[flow.to], flow.credits > 0 else { continue }
            let h = flow.credits * scale
            let y0 = a.y + (outOffset[flow.from] ?? 0) + h / 2
            let y1 = b.y + (inOffset[flow.to] ?? 0) + h / 2
            outOffset[flow.from, default: 0] += h
            inOffset[flow.to, default: 0] += h
            let x0 = a.x + 14
            let x1 = b.x
            let mid = (x0 + x1) / 2
            let color = palette[(middle.firstIndex(of: flow.from) ?? middle.firstIndex(of: flow.to) ?? i) % palette.count]
            out += String(format: "<path d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"none\" stroke=\"%@\" stroke-opacity=\"0.35\" stroke-width=\"%.2f\">",
                          x0, y0, mid, y0, mid, y1, x1, y1, color, max(h, 0.5))
            out += "<title>\(escape(flow.from)) → \(escape(flow.to)): \(number(flow.credits)) credits</title></path>"
        }
        for (c, column) in columns.enumerated() {
            for node in column {
                guard let p = positions[node] else { continue }
                out += "<rect x=\"\(p.x)\" y=\"\(p.y)\" width=\"14\" height=\"\(p.h)\" fill=\"#374151\"/>"
                let anchor = c == 0 ? "end" : "start"
                let tx = c == 0 ? p.x - 6 : p.x + 18
                out += "<text x=\"\(tx)\" y=\"\(p.y + p.h / 2 + 4)\" text-anchor=\"\(anchor)\" fill=\"#111827\">\(escape(node)) (\(number(value(node))))</text>"
            }
        }
        return out + "</svg>"
    }
}
