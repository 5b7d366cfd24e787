/// A few real quotations in the Debian fortune format (`%` between entries, `-- Author` lines),
/// for tests and benchmarks that build a market without the `fortunes` packages
/// (`MarketSetup.create(fortunes:)`, `remit market init --from`). Six quotes by four authors.
package enum SampleFortunes {
    package static let text = """
        The weather is what everybody talks about and nobody does anything about it.
        \t\t-- Mark Twain
        %
        Climate is what we expect, weather is what we get.
        \t\t-- Mark Twain
        %
        A black cat crossing your path signifies that the animal is going somewhere.
        \t\t-- Groucho Marx
        %
        Time flies like an arrow; fruit flies like a banana.
        \t\t-- Groucho Marx
        %
        Simplicity is prerequisite for reliability.
        \t\t-- Edsger Dijkstra
        %
        Talk is cheap. Show me the code.
        \t\t-- Linus Torvalds
        %

        """
}
