import Foundation
import Testing
@testable import AgriTrace

@Suite("Decimal text")
struct DecimalTextTests {
    @Test("a number's remembered text is always Foundation's own, for parsed and computed values alike")
    func rememberedTextIsDescription() {
        var generator = SystemRandomNumberGenerator()
        var values: [Decimal] = [0, 1, -1, 100, 1200, Decimal(string: "0.1") ?? 0, Decimal(string: "-105.4102") ?? 0,
                                 Decimal(string: "123456789012345678901234567890") ?? 0, Decimal(string: "1e-30") ?? 0,
                                 // 2^96 + 1 and 2^97 + 1: the same bits but in the mantissa's top word
                                 Decimal(string: "79228162514264337593543950337") ?? 0, Decimal(string: "158456325028528675187087900673") ?? 0]
        for _ in 0..<20_000 {
            let digits = (0..<Int.random(in: 1...30, using: &generator)).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            let point = Int.random(in: 0...digits.count, using: &generator)
            let text = (Bool.random(using: &generator) ? "-" : "") + digits.prefix(point) + "." + digits.dropFirst(point) + "0"
            guard var value = Decimal(string: text) else { continue }
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: value *= Decimal(Int.random(in: 1...1000, using: &generator))
            case 1: value /= Decimal(Int.random(in: 1...1000, using: &generator))
            case 2: value += Decimal(string: "0.10") ?? 0
            default: break
            }
            values.append(value)
        }
        for value in values + values.shuffled(using: &generator) {  // the second pass reads what the first remembered
            #expect(DecimalText.of(value) == value.description)
        }
    }

    @Test("numbers are written from their digits, as Foundation writes them, whatever the sign, size and exponent")
    func digitsAreDescription() throws {
        // The fast path must be in use on this platform, or hostile numbers cost microseconds each.
        #expect(DecimalText.digits(of: try #require(Decimal(string: "-105.4102"))) == "-105.4102")
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<50_000 {
            let bits = Int.random(in: 1...64, using: &generator)
            let significand = UInt64.random(in: 0...UInt64.max, using: &generator) >> (64 - bits)
            let value = Decimal(sign: Bool.random(using: &generator) ? .minus : .plus, exponent: Int.random(in: -128...127, using: &generator),
                                significand: Decimal(significand))
            guard let text = DecimalText.digits(of: value) else { continue }
            #expect(text == value.description, "\(significand) e \(value.exponent)")
            checked += 1
        }
        #expect(checked > 40_000)
        #expect(DecimalText.digits(of: 0) == nil && DecimalText.digits(of: .nan) == nil)
        #expect(DecimalText.digits(of: try #require(Decimal(string: "123456789012345678901234567890"))) == nil)  // over 64 bits: Foundation's
    }
}
