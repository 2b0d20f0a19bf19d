import Foundation
import TraceCrypto
#if canImport(Glibc)
import Glibc
#endif

/// Bundle files as read-only private mappings, unmapped when the last `Data` slice goes.
/// Foundation's `.alwaysMapped` may copy instead of mapping; handing pages back with `madvise`
/// is only safe on a real file mapping, so this maps the file itself (regular files only).
enum FileMapping {
    /// The file mapped read-only, or nil when it is empty or its file system cannot map it.
    static func map(_ url: URL) throws -> Data? {
        try RegularFile.open(url) { fd, size in
            guard size > 0, let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else { return nil }
            return Data(bytesNoCopy: address, count: size, deallocator: .custom { pointer, count in munmap(pointer, count) })
        }
    }

    /// `MADV_DONTNEED` on the whole pages of `mapping` before `offset`.
    static func release(_ mapping: UnsafeRawBufferPointer, upTo offset: Int) {
        guard let base = mapping.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = min(offset, mapping.count) / page * page
        if length > 0 { madvise(UnsafeMutableRawPointer(mutating: base), length, MADV_DONTNEED) }
    }
}
