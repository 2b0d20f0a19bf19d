import Foundation
import Testing
@testable import AgriTrace

/// The mass balance adds, subtracts and compares quantities through ``DecimalLayout``: its results
/// must be Foundation's, to the byte, whichever path computes them.
@Suite("Decimal arithmetic in integers")
struct DecimalLayoutTests {
    /// Values of every shape: small and large mantissas, fractions, exponents far apart, zero,
    /// mantissas over 63 and over 64 bits, computed (not only parsed) values, NaN.
    static func values(count: Int) -> [Decimal] {
        var random = SystemRandomNumberGenerator()
        // Zeros written with an exponent (`0.000`, `0e-27`): Foundation keeps it in some sums.
        var values: [Decimal] = [0, 1, -1, 1200, .nan, Decimal(string: "0.000") ?? 0, Decimal(string: "0e-27") ?? 0, Decimal(string: "0e5") ?? 0, Decimal(string: "0.585") ?? 0, Decimal(string: "9223372036854775807") ?? 0,
                                 Decimal(string: "9223372036854775808") ?? 0, Decimal(string: "18446744073709551615") ?? 0,
                                 Decimal(string: "123456789012345678901234567890") ?? 0, Decimal(string: "1e100") ?? 0, Decimal(string: "-1e-100") ?? 0]
        for _ in 0..<count {
            let digits = (0..<Int.random(in: 1...21, using: &random)).map { _ in String(Int.random(in: 0...9, using: &random)) }.joined()
            let exponent = [0, 0, 0, Int.random(in: -3...3, using: &random), Int.random(in: -40...40, using: &random)].randomElement(using: &random) ?? 0
            guard var value = Decimal(string: (Bool.random(using: &random) ? "-" : "") + digits + "e\(exponent)") else { continue }
            if Int.random(in: 0..<4, using: &random) == 0 { value /= Decimal(Int.random(in: 1...7, using: &random)) }  // a long, computed mantissa
            values.append(value)
        }
        return values
    }

    func bytes(_ value: Decimal) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }

    @Test("this Foundation's layout is understood, so the integer paths are the ones these tests hold to Foundation")
    func layoutUnderstood() throws {
        #expect(DecimalLayout.isUnderstood)
        let value = try #require(Decimal(string: "-105.4102")), long = try #require(Decimal(string: "123456789012345678901234567890"))
        #expect(DecimalLayout.parts(of: value) == DecimalLayout.Parts(isNegative: true, exponent: -4, mantissa: 1_054_102, isCompact: true))
        #expect(DecimalLayout.parts(of: .nan) == nil && DecimalLayout.parts(of: long) == nil)
    }

    @Test("sums, differences and order of thousands of pairs are Foundation's, to the byte")
    func agreesWithFoundation() {
        let values = Self.values(count: 600)
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            guard let a = values.randomElement(using: &random), var b = values.randomElement(using: &random) else { continue }
            if Int.random(in: 0..<8, using: &random) == 0 { b = a }  // a difference of zero, equal values
            #expect(bytes(DecimalLayout.sum(a, b)) == bytes(a + b), "\(a) + \(b)")
            #expect(bytes(DecimalLayout.difference(a, b)) == bytes(a - b), "\(a) - \(b)")
            #expect(DecimalLayout.isLess(a, than: b) == (a < b), "\(a) < \(b)")
            var total = a
            total.add(b)
            #expect(bytes(total) == bytes(a + b))
        }
    }

    @Test("a value made from its parts is the compact value Foundation makes; an exponent out of range makes none")
    func madeFromParts() throws {
        #expect(bytes(try #require(DecimalLayout.decimal(isNegative: false, exponent: -1, mantissa: 12_000))) == bytes(1200))
        #expect(bytes(try #require(DecimalLayout.decimal(isNegative: true, exponent: 0, mantissa: 0))) == bytes(0))  // no negative zero
        let expected = try #require(Decimal(string: "-105410.2"))
        #expect(bytes(try #require(DecimalLayout.decimal(isNegative: true, exponent: -3, mantissa: 105_410_200))) == bytes(expected))
        #expect(DecimalLayout.decimal(isNegative: false, exponent: -129, mantissa: 1) == nil && DecimalLayout.decimal(isNegative: false, exponent: 128, mantissa: 1) == nil)
    }
}
