// A deterministic ZIP archive writer (PKWARE APPNOTE 6.3.x, the subset OPC packages need: no ZIP64,
// no encryption, no data descriptors). Used for DOCX here, and for XLSX and the benchmarks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ppko::docx {

// Builds a ZIP archive in a caller-owned string. Deterministic: every entry carries the DOS
// time 1980-01-01 00:00, no extra fields and no comments, and entries appear in the order added,
// so the same sequence of add() calls gives the same bytes.
//
// Keeps its deflate state and bookkeeping between archives: reuse one writer for many
// archives. Not thread-safe; use one per thread.
//
//   ZipWriter zip;
//   std::string bytes;
//   zip.begin(bytes);
//   zip.add("[Content_Types].xml", types);
//   zip.add("word/document.xml", document);
//   zip.finish();  // bytes now holds the whole archive
//
// Limits: at most 65,535 entries and 4 GiB per entry and per archive (no ZIP64); beyond that
// add()/finish() throw ppko::Error(ErrorId::internal). `out` must outlive the begin()…finish()
// sequence and must not be modified by anyone else in between.
class ZipWriter {
public:
    // zlib level used when none is given; see zip_writer.cpp for the measurement behind it.
    static constexpr int default_level = 3;
    // What the package writers (DocxWriter, xlsx::PackageWriter) pass as `store_below`:
    // deflating a part this small costs more time than it saves bytes (zip_writer.cpp has the
    // figures).
    static constexpr std::size_t small_part_size = 1024;

    // add() stores parts shorter than `store_below` bytes even when asked to deflate them.
    explicit ZipWriter(int level = default_level, std::size_t store_below = 0);
    ~ZipWriter();
    ZipWriter(const ZipWriter&) = delete;
    ZipWriter& operator=(const ZipWriter&) = delete;

    void begin(std::string& out);  // clears out, starts an archive in it
    // Appends one entry. `name` is the path inside the archive ('/' separated; UTF-8 allowed).
    // With deflate = true the data is raw-deflated, unless it is shorter than `store_below` or
    // deflating would not make it smaller, in which case it is stored.
    void add(std::string_view name, std::string_view data, bool deflate = true);
    // As add() with deflate, for parts that are often byte-identical to one added before, in this
    // archive or an earlier one (styles, settings, fonts, headers, content types): the writer
    // keeps the compressed bytes and CRC of the last `memo_variants` different contents added
    // under each name this way, and when `data` equals one of them its entry is reused instead
    // of deflating again. Several variants per name matter when documents of different kinds
    // alternate (one with lists, one without: two [Content_Types].xml). Such parts are deflated
    // whatever their size (once, then reused): the output is that of add() with store_below 0.
    // Data longer than `memo_max_size` is deflated and not kept, so the memory held is at most
    // 2 × memo_variants × memo_max_size per name, for the writer's lifetime.
    void add_reusing(std::string_view name, std::string_view data);
    static constexpr std::size_t memo_variants = 4;
    static constexpr std::size_t memo_max_size = 64 * 1024;
    void finish();  // central directory + end record; the archive in `out` is then complete

private:
    struct Entry {
        std::uint32_t crc;
        std::uint32_t compressed_size;
        std::uint32_t size;
        std::uint32_t offset;      // of the local header
        std::uint32_t name_begin;  // into names_
        std::uint16_t name_size;
        std::uint16_t method;      // 0 stored, 8 deflated
        std::uint16_t flags;
    };
    struct Deflater;  // the zlib stream, kept alive between entries

    struct Memo {
        std::string name, data, payload;
        std::uint32_t crc = 0;
        std::uint16_t method = 0;
        std::uint64_t used = 0;  // memo_clock_ at the last hit or store: the oldest is replaced
    };
    // add() without the store_below rule.
    void add_entry(std::string_view name, std::string_view data, bool deflate);
    // Registers an entry and reserves its local header followed by the name in the output.
    Entry start_entry(std::string_view name, std::size_t size, std::size_t& header_pos);
    // Writes the local header for `e` at header_pos (the name follows it).
    void write_local_header(std::size_t header_pos, const Entry& e);

    std::vector<Memo> memos_;
    std::uint64_t memo_clock_ = 0;
    std::string* out_ = nullptr;
    std::vector<Entry> entries_;
    std::string names_;
    std::unique_ptr<Deflater> deflater_;
    std::size_t store_below_;
};

}  // namespace ppko::docx
