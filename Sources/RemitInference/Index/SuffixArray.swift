/// Suffix array construction by induced sorting (SA-IS; Nong, Zhang and Chan 2009), O(n) time
/// and O(n) extra space, over integer alphabets. The order is plain lexicographic order of the
/// symbol sequences, with a shorter suffix before every longer suffix it is a prefix of.
public enum SuffixArray {
    /// The suffix array of `text`: the start positions of all its suffixes in lexicographic
    /// order. Symbols must be in `0..<alphabetSize`; `text.count` must be below 2^31 - 1.
    public static func build(_ text: [UInt32], alphabetSize: Int) -> [UInt32] {
        let n = text.count
        precondition(n < Int(Int32.max) - 1, "suffix array input of \(n) symbols is too long")
        if n == 0 { return [] }
        // Shift symbols up by one and append the unique smallest sentinel 0 that SA-IS requires.
        var shifted = [Int32](repeating: 0, count: n + 1)
        for i in 0..<n {
            precondition(Int(text[i]) < alphabetSize, "symbol \(text[i]) at \(i) is outside the alphabet of \(alphabetSize)")
            shifted[i] = Int32(text[i]) + 1
        }
        var sa = [Int32](repeating: 0, count: n + 1)
        shifted.withUnsafeMutableBufferPointer { s in
            sa.withUnsafeMutableBufferPointer { out in
                sais(s.baseAddress!, out.baseAddress!, n + 1, alphabetSize)
            }
        }
        // sa[0] is the sentinel's suffix; drop it.
        var result = [UInt32](repeating: 0, count: n)
        for i in 0..<n { result[i] = UInt32(sa[i + 1]) }
        return result
    }

    /// SA-IS on `s[0..<n]` with symbols in `0...maxSymbol` and `s[n-1] == 0` unique.
    private static func sais(_ s: UnsafeMutablePointer<Int32>, _ sa: UnsafeMutablePointer<Int32>, _ n: Int, _ maxSymbol: Int) {
        if n == 1 {
            sa[0] = 0
            return
        }
        // Types: true = S-type, false = L-type.
        let isS = UnsafeMutablePointer<Bool>.allocate(capacity: n)
        defer { isS.deallocate() }
        isS[n - 1] = true
        isS[n - 2] = false
        if n >= 3 {
            for i in stride(from: n - 3, through: 0, by: -1) {
                isS[i] = s[i] < s[i + 1] || (s[i] == s[i + 1] && isS[i + 1])
            }
        }
        @inline(__always) func isLMS(_ i: Int) -> Bool { i > 0 && isS[i] && !isS[i - 1] }

        let bucketCount = maxSymbol + 1
        let bkt = UnsafeMutablePointer<Int>.allocate(capacity: bucketCount)
        defer { bkt.deallocate() }
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: bucketCount)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0, count: bucketCount)
        for i in 0..<n { counts[Int(s[i])] += 1 }

        func bucketEnds() {
            var sum = 0
            for c in 0..<bucketCount {
                sum += counts[c]
                bkt[c] = sum
            }
        }
        func bucketStarts() {
            var sum = 0
            for c in 0..<bucketCount {
                bkt[c] = sum
                sum += counts[c]
            }
        }
        func induce() {
            bucketStarts()
            for i in 0..<n {
                let j = Int(sa[i]) - 1
                if j >= 0 && !isS[j] {
                    let c = Int(s[j])
                    sa[bkt[c]] = Int32(j)
                    bkt[c] += 1
                }
            }
            bucketEnds()
            for i in stride(from: n - 1, through: 0, by: -1) {
                let j = Int(sa[i]) - 1
                if j >= 0 && isS[j] {
                    let c = Int(s[j])
                    bkt[c] -= 1
                    sa[bkt[c]] = Int32(j)
                }
            }
        }

        // Stage 1: sort the LMS substrings.
        bucketEnds()
        for i in 0..<n { sa[i] = -1 }
        for i in 1..<n where isLMS(i) {
            let c = Int(s[i])
            bkt[c] -= 1
            sa[bkt[c]] = Int32(i)
        }
        induce()

        var n1 = 0
        for i in 0..<n where isLMS(Int(sa[i])) {
            sa[n1] = sa[i]
            n1 += 1
        }
        for i in n1..<n { sa[i] = -1 }
        var name = 0
        var previous = -1
        for i in 0..<n1 {
            let position = Int(sa[i])
            var differs = false
            var d = 0
            while d < n {
                if previous == -1 || s[position + d] != s[previous + d] || isS[position + d] != isS[previous + d] {
                    differs = true
                    break
                } else if d > 0 && (isLMS(position + d) || isLMS(previous + d)) {
                    break
                }
                d += 1
            }
            if differs {
                name += 1
                previous = position
            }
            sa[n1 + position / 2] = Int32(name - 1)
        }
        var j = n - 1
        for i in stride(from: n - 1, through: n1, by: -1) where sa[i] >= 0 {
            sa[j] = sa[i]
            j -= 1
        }

        // Stage 2: solve the reduced problem (recursively when names repeat).
        let s1 = sa + (n - n1)
        if name < n1 {
            sais(s1, sa, n1, name - 1)
        } else {
            for i in 0..<n1 { sa[Int(s1[i])] = Int32(i) }
        }

        // Stage 3: induce the full order from the sorted LMS suffixes.
        bucketEnds()
        j = 0
        for i in 1..<n where isLMS(i) {
            s1[j] = Int32(i)
            j += 1
        }
        for i in 0..<n1 { sa[i] = s1[Int(sa[i])] }
        for i in n1..<n { sa[i] = -1 }
        for i in stride(from: n1 - 1, through: 0, by: -1) {
            let position = sa[i]
            sa[i] = -1
            let c = Int(s[Int(position)])
            bkt[c] -= 1
            sa[bkt[c]] = position
        }
        induce()
    }
}
