// Analytical cycle estimate of a single-layer job on the RTL (docs/spec.md §8, "Cycle
// estimate"; docs/architecture.md, "Accelerator RTL"). Every term is a formula over the plan
// of spec §8 v2 (bands, filter groups, transfers and their beats), the chunk costs of the
// layer's codes and the DRAM timing; the constants are the fixed latencies of the RTL's blocks.
#include "qsa/cmodel/cycles.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "qsa/cmodel/error.h"

namespace qsa::cmodel {

namespace {

// Fixed latencies of the RTL (cycles).
constexpr int64_t kCheck = 79;    // qsa_desc_check: 7 divisions x (1 + 32/4 + 1) + 7 products + 2
constexpr int64_t kToLoad = 2;    // check done to the first group load's DMA command
constexpr int64_t kLoadGaps = 1;  // a group load's end to its job (its reads are queued)
constexpr int64_t kJobOverhead = 9;  // per job: start -> first compute cycle, drain, next start
constexpr int64_t kFirstFetch = 3;   // input beat written -> the array computes on it
constexpr int64_t kDone = 3;         // last store piece issued -> DONE (and its grant)
// Array geometry (qsa_compute, qsa_act_buf, qsa_seq).
constexpr int64_t kLineBytes = 128;  // activation-buffer line
constexpr int kSegsPerCycle = 4;     // kernel-row segments merged per cycle
constexpr int64_t kMinPiece = 64;    // smallest output piece before a band is complete
constexpr int kMaxVec = 64;          // window bytes, weights of a chunk

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// DMA transfer times. A read keeps up to max_reads bursts outstanding: burst i's address goes
// out a cycle after burst i-1's, and not before burst i-max_reads has delivered its last beat;
// its first beat comes read_latency after its address, and not before the previous burst's
// last beat. Under a bandwidth limit the DRAM's credit (max(bytes_per_cycle, 16) bytes, as
// sim::AxiDram's) refills while no beat flows, so a burst after a gap starts with a few beats
// back to back. Writes keep one burst outstanding, so every write burst pays the latency.
struct Dma {
  int64_t rl, wl, mb, mr, fast;
  double beat;  // cycles per beat at the bandwidth limit
  explicit Dma(const DramTiming& t)
      : rl(t.read_latency),
        wl(t.write_latency),
        mb(t.max_burst),
        mr(t.max_reads),
        fast(static_cast<int64_t>(std::max(t.bytes_per_cycle, 16.0)) / 8),
        beat(t.bytes_per_cycle > 0.0 ? std::max(1.0, 8.0 / t.bytes_per_cycle) : 1.0) {}
  // cycles of n beats at the bandwidth limit, the first `credit` of them back to back
  int64_t Beats(int64_t n, int64_t credit) const {
    if (beat <= 1.0) return n;
    const int64_t f = std::min(n, credit);
    return f + static_cast<int64_t>(std::ceil(static_cast<double>(n - f) * beat));
  }
  // cycles of the beats of one burst of n after a gap
  int64_t Burst(int64_t n) const { return Beats(n, fast); }
  // A read of n beats, from the command's cycle to its done, unless the consumer needs `extra`
  // more cycles than one per beat (spread over the bursts by their beats).
  int64_t Read(int64_t n, int64_t extra = 0) const { return Chain({{n, extra}}); }
  // Reads queued back to back (qsa_dma command queueing), each {beats, consumer's extra
  // cycles}: read c is accepted once read c-1 has requested its last burst (the cycle after)
  // and read c-2 is done (one queued at a time), and from the cycle after read c-1's
  // acceptance (the requester's next command); its bursts share the MaxReads limit with the
  // earlier ones, and its first beat comes no sooner than two cycles after read c-1's last
  // (read c-1's done cycle takes no beat). Cycles from the first read's acceptance to the last
  // read's done.
  int64_t Chain(const std::vector<std::pair<int64_t, int64_t>>& reads) const {
    std::vector<int64_t> last;  // per burst: the cycle of its last beat
    int64_t issue = 0, prev = -1, accept = 0, done = 0, done_before = -1;
    for (size_t c = 0; c < reads.size(); ++c) {
      const auto [n, extra] = reads[c];
      if (n == 0) continue;
      if (c > 0) {
        accept = std::max({issue + 1, accept + 1, done_before + 1});
        issue = accept;
      }
      int64_t taken = 0;
      for (int64_t left = n; left > 0;) {
        const int64_t len = std::min(left, mb);
        const size_t i = last.size();
        issue = std::max(issue + 1, i >= static_cast<size_t>(mr) ? last[i - mr] + 1 : 0);
        const int64_t start = std::max(issue + rl, prev + (taken == 0 && c > 0 ? 2 : 1));
        const int64_t share = (extra * (taken + len)) / n - (extra * taken) / n;
        const int64_t data = std::max(Beats(len, start > prev + 1 ? fast : 0), len + share);
        prev = start + data - 1;
        last.push_back(prev);
        left -= len;
        taken += len;
      }
      done_before = done;
      done = prev + 1;
    }
    return done;
  }
  // A write of n beats: per burst, the response comes write_latency after the address or a
  // cycle after the last beat.
  int64_t Write(int64_t n) const {
    int64_t c = 0;
    for (int64_t left = n; left > 0; left -= mb) {
      c += std::max(wl, Burst(std::min(left, mb)) + 1) + 2;
    }
    return c;
  }
};

// Cycles the gather spends on a chunk [t, t + len) of a filter at a position whose kernel rows
// [r_lo, r_hi) lie inside the input and whose window starts `align` bytes (0..7) into a word:
// its kernel-row segments in order, up to kSegsPerCycle a cycle, those that read all within
// one 128-byte line (from the word of the cycle's first segment that reads); a segment in the
// padding reads nothing but still takes one of the cycle's kSegsPerCycle places (qsa_compute).
// A skipped chunk (read = false) is walked kSegsPerCycle segments per cycle.
int64_t FetchCycles(int64_t t, int64_t len, int64_t sc, int64_t rb, int64_t r_lo, int64_t r_hi,
                    bool read, int64_t align) {
  const int64_t r0 = t / sc, r1 = (t + len - 1) / sc;
  if (!read) return CeilDiv(r1 - r0 + 1, kSegsPerCycle);
  // byte offsets from the start of the word that holds the window's origin (kernel row 0, its
  // first column)
  auto seg_lo = [&](int64_t r) { return align + r * rb + (r == r0 ? t % sc : 0); };
  auto seg_hi = [&](int64_t r) { return align + r * rb + (r == r1 ? (t + len - 1) % sc + 1 : sc); };
  int64_t cycles = 0;
  for (int64_t i = r0; i <= r1;) {
    ++cycles;
    bool line = false;  // the cycle's line, from the first segment that reads
    int64_t base = 0, j = i;
    for (; j <= r1 && j - i < kSegsPerCycle; ++j) {
      if (j < r_lo || j >= r_hi) continue;  // in the padding: a slot, no bytes
      if (!line) {
        line = true;
        base = seg_lo(j) / 8 * 8;
      } else if (seg_hi(j) - base > kLineBytes) {
        break;
      }
    }
    i = j;
  }
  return cycles;
}

// The output pieces of a band (qsa_seq's stores). The band's last job makes an output row's
// bytes ready as it finishes it (row_done, in order). When the DMA is free (from `free` on), a
// piece goes out from the bytes stored so far to the last beat boundary within the ready ones,
// if that is at least kMinPiece bytes and short of the band's end; rows that finish while a
// piece is written go out together in the next. The band's last piece, the rest once it is
// complete, is `last`, not simulated: {DMA cycles of the pieces, the end of the last of them,
// the last piece's write}. `base`: the band's first output byte (the layer's output starts on
// a beat).
struct BandStores {
  int64_t busy = 0, end = 0, last = 0;
};
BandStores SimulateStores(const Dma& dma, int64_t free, const std::vector<int64_t>& row_done,
                          int64_t base, int64_t ob, int64_t beat) {
  const size_t rows = row_done.size();
  const int64_t blen = static_cast<int64_t>(rows) * ob;
  BandStores s;
  int64_t done = 0, t = free;
  for (size_t ready = 0;;) {
    while (ready < rows && row_done[ready] <= t) ++ready;
    if (ready == rows) break;
    const int64_t e = (base + static_cast<int64_t>(ready) * ob) / beat * beat - base;
    if (e - done >= kMinPiece) {
      const int64_t w = dma.Write(BeatBytes(base + done, base + e, beat) / beat);
      s.busy += w;
      t += w;
      s.end = t;
      done = e;
    } else {
      t = std::max(t, row_done[ready]);
    }
  }
  s.last = dma.Write(BeatBytes(base + done, base + blen, beat) / beat);
  return s;
}

// The end of the input bytes the window of position (y, x) reads, from the band input's start
// (0 when it lies in the padding).
int64_t LastByte(const LayerDesc& d, const LayerPlan& p, const BandRows& band, int64_t y,
                 int64_t x) {
  const int64_t iy = y * d.stride - d.pad_top, ix = x * d.stride - d.pad_left;
  const int64_t r = std::min<int64_t>(iy + d.kernel_h - 1, band.in_hi);
  const int64_t col_end = std::min<int64_t>(ix + d.kernel_w, d.in.w);
  if (r < std::max<int64_t>(iy, band.in_lo) || col_end <= 0) return 0;
  return (r - band.in_lo) * p.row_bytes + col_end * d.in.c;
}

// A band's first job streams its input: qsa_compute takes a window segment once the input
// bytes up to its end are written, so each position waits only for its own last byte. The
// input arrives a beat (8 bytes) per `beat` cycles until its end, in_end; the job then ends no
// sooner than in_end + this: over the positions p in the array's order (row by row; 2x2
// windows (py, px, dy, dx) when pooling), the compute from p's last chunk on, less the time
// from p's last byte to the input's end. `row_costs` holds the cost of each computed row of
// the band (a position: its share), `last_chunk` the cost of a position's last chunk (the one
// that reads its last kernel row: chunks follow the stream order, spec §5).
int64_t StreamedTail(const LayerDesc& d, const LayerPlan& p, const BandRows& band,
                     const std::vector<int64_t>& row_costs, int64_t last_chunk, double beat) {
  const int64_t in_bytes = (band.in_hi + 1 - band.in_lo) * p.row_bytes;
  int64_t tail = 0, later = 0;              // later: the compute of the positions after p
  auto visit = [&](int64_t y, int64_t x) {  // the positions from the last one back
    const int64_t wait = static_cast<int64_t>(
        std::ceil(static_cast<double>(in_bytes - LastByte(d, p, band, y, x)) / 8.0 * beat));
    tail = std::max(tail, std::max<int64_t>(last_chunk, 1) + later - wait);
    later += CeilDiv(row_costs[static_cast<size_t>(y - band.y0)], p.comp_w);
  };
  if (d.pool) {
    for (int64_t py = band.y1 - 2; py >= band.y0; py -= 2) {
      for (int64_t px = p.comp_w - 2; px >= 0; px -= 2) {
        for (int64_t dy = 1; dy >= 0; --dy) {
          for (int64_t dx = 1; dx >= 0; --dx) visit(py + dy, px + dx);
        }
      }
    }
  } else {
    for (int64_t y = band.y1 - 1; y >= band.y0; --y) {
      for (int64_t x = p.comp_w - 1; x >= 0; --x) visit(y, x);
    }
  }
  return tail;
}

}  // namespace

void ValidateDramTiming(std::string_view owner, int read_latency, int write_latency,
                        double bytes_per_cycle) {
  auto fail = [owner](std::string_view field, const std::string& what) {
    throw ConfigError(fmt::format("{}: {} {}", owner, field, what));
  };
  if (read_latency < 1 || read_latency > 1000000) {
    fail("read_latency", fmt::format("must be in [1, 1000000], got {}", read_latency));
  }
  if (write_latency < 1 || write_latency > 1000000) {
    fail("write_latency", fmt::format("must be in [1, 1000000], got {}", write_latency));
  }
  if (!std::isfinite(bytes_per_cycle) || bytes_per_cycle < 0.0) {
    fail("bytes_per_cycle", fmt::format("must be >= 0 (0 = unlimited), got {}", bytes_per_cycle));
  }
}

void DramTiming::Validate() const {
  ValidateDramTiming("DramTiming", read_latency, write_latency, bytes_per_cycle);
  if (max_burst < 1 || max_burst > 256) {
    throw ConfigError(fmt::format("DramTiming: max_burst must be in [1, 256], got {}", max_burst));
  }
  if (max_reads < 1 || max_reads > 64) {
    throw ConfigError(fmt::format("DramTiming: max_reads must be in [1, 64], got {}", max_reads));
  }
}

ChunkPlan PlanChunks(const LayerDesc& d) {
  const std::vector<VectorSpan> vs = FilterVectors(d);
  int longest = 0;
  for (const VectorSpan& v : vs) longest = std::max(longest, v.length);
  ChunkPlan c;
  c.paired = 2 * longest <= kMaxVec;
  const size_t step = c.paired ? 2 : 1;
  for (size_t i = 0; i < vs.size(); i += step) {
    c.start.push_back(vs[i].start);
    c.length.push_back(vs[i].length + (step == 2 && i + 1 < vs.size() ? vs[i + 1].length : 0));
  }
  c.chunks_per_filter = static_cast<int>(c.start.size());
  return c;
}

CycleEstimate EstimateLayer(const Layer& layer, const ArrayConfig& cfg, const DramTiming& t) {
  t.Validate();
  const LayerDesc& d = layer.desc;
  const LayerPlan p = PlanLayer(d, cfg);
  const ChunkPlan ch = PlanChunks(d);
  const Dma dma(t);
  const int64_t f = p.fan_in, v = p.vectors_per_filter;
  const int64_t beat = cfg.beat_bytes;
  const int64_t sc = int64_t{d.kernel_w} * d.in.c;
  const bool dbuf = 2 * v <= cfg.vec_rows;

  // Per filter group: its load time and the cost of one position (Σ over its chunks).
  std::vector<int64_t> load(static_cast<size_t>(p.groups));
  std::vector<std::vector<std::pair<int64_t, int64_t>>> reads_of(load.size());  // per group
  std::vector<std::vector<int64_t>> tbls(load.size());
  for (int64_t g = 0; g < p.groups; ++g) {
    const GroupLoad gl = PlanGroupLoad(d, p, cfg, g);
    const int64_t first = gl.first, eg = gl.filters;
    // codes: the group's words; the unpacker hands out one chunk row per cycle
    const int64_t words = gl.code_bytes / beat;
    const int64_t code_extra = std::max<int64_t>(0, eg * ch.chunks_per_filter - words);
    // α's: a beat a cycle, a second cycle when a PE's lanes cross one of its 8-mantissa rows
    int64_t splits = 0;
    for (int64_t q = 0; q < eg; ++q) {
      for (int64_t j = 8; j < v; j += 8) splits += (first * v + q * v + j) % 8 != 0;
    }
    // the three reads queued back to back (the α's and biases behind the codes)
    const std::vector<std::pair<int64_t, int64_t>> reads = {
        {words, code_extra}, {gl.alpha_bytes / beat, splits}, {gl.bias_bytes / beat, 0}};
    load[static_cast<size_t>(g)] = dma.Chain(reads) + kLoadGaps;
    reads_of[static_cast<size_t>(g)] = reads;

    // chunk costs: the slowest PE's ceil(nnz / L); an empty chunk is skipped, except the
    // position's last, which carries the output (one cycle)
    std::vector<int64_t>& tbl = tbls[static_cast<size_t>(g)];
    for (int c = 0; c < ch.chunks_per_filter; ++c) {
      int64_t cyc = 0;
      for (int64_t o = first; o < first + eg; ++o) {
        int64_t nnz = 0;
        const size_t base = static_cast<size_t>(o * f + ch.start[static_cast<size_t>(c)]);
        for (int j = 0; j < ch.length[static_cast<size_t>(c)]; ++j) {
          nnz += layer.codes[base + static_cast<size_t>(j)] != 0;
        }
        cyc = std::max(cyc, CeilDiv(nnz, cfg.lanes));
      }
      tbl.push_back(cyc);
    }
  }
  // One position at computed row y, for group g. The array runs the issued chunks back to
  // back; a chunk's gather starts in the last compute cycle of the chunk two before it (two
  // window slots) and it starts a cycle after its last line, so each chunk takes
  // max(its cost, the gather of the next issued chunk) (the next position's first after the
  // last). An empty chunk is not issued, except the position's last (a null chunk: one cycle
  // in the array and one in the gather, no line; it carries the output); the gather walks the
  // others, kSegsPerCycle segments a cycle, before the next issued one.
  // It depends on y only through the kernel rows inside the input, [r_lo, r_hi).
  auto pos_cost = [&](int64_t g, int64_t r_lo, int64_t r_hi, int64_t align) {
    const std::vector<int64_t>& tbl = tbls[static_cast<size_t>(g)];
    std::vector<int64_t> cost, fetch;  // per issued chunk
    int64_t walk = 0;
    for (int c = 0; c < ch.chunks_per_filter; ++c) {
      const bool last = c + 1 == ch.chunks_per_filter;
      const int64_t cyc = tbl[static_cast<size_t>(c)];
      const int64_t f_c =
          FetchCycles(ch.start[static_cast<size_t>(c)], ch.length[static_cast<size_t>(c)], sc,
                      p.row_bytes, r_lo, r_hi, cyc > 0, align);
      if (cyc == 0 && !last) {
        walk += f_c;
        continue;
      }
      cost.push_back(std::max<int64_t>(cyc, 1));
      fetch.push_back(walk + (cyc > 0 ? f_c : 1));  // a null chunk: one cycle, no line
      walk = 0;
    }
    int64_t sum = 0;
    for (size_t i = 0; i < cost.size(); ++i) {
      sum += std::max(cost[i], fetch[(i + 1) % cost.size()]);
    }
    return sum;
  };

  // The positions of computed row y, for group g: their windows start at DRAM offset
  // iy·rb + ix·C of the layer's input (which starts on a word: ACT_ADDR[31:3]; the buffer keeps
  // its DRAM words), so a position's gather depends on that offset's place in its word, and
  // positions with the same place cost the same.
  // A position's cost is kept per group, kernel rows inside and alignment (most rows share it).
  const int64_t kr = d.kernel_h + 1;
  std::vector<std::vector<int64_t>> pos_costs(static_cast<size_t>(p.groups));
  auto row_cost = [&](int64_t g, int64_t y) {
    const int64_t iy = y * d.stride - d.pad_top;  // input row of kernel row 0
    const int64_t r_lo = std::clamp<int64_t>(-iy, 0, d.kernel_h),
                  r_hi = std::clamp<int64_t>(d.in.h - iy, r_lo, d.kernel_h);
    std::vector<int64_t>& known = pos_costs[static_cast<size_t>(g)];
    if (known.empty()) known.assign(static_cast<size_t>(kr * kr * 8), -1);
    std::vector<int64_t> count(8, 0);
    for (int64_t x = 0; x < std::min<int64_t>(8, p.comp_w); ++x) {  // x, x + 8, ... alike
      const int64_t off = iy * p.row_bytes + (x * d.stride - d.pad_left) * d.in.c;
      count[static_cast<size_t>(((off % 8) + 8) % 8)] += (p.comp_w - x + 7) / 8;
    }
    int64_t sum = 0;
    for (int64_t a = 0; a < 8; ++a) {
      if (count[static_cast<size_t>(a)] == 0) continue;
      int64_t& c = known[static_cast<size_t>((r_lo * kr + r_hi) * 8 + a)];
      if (c < 0) c = pos_cost(g, r_lo, r_hi, a);
      sum += count[static_cast<size_t>(a)] * c;
    }
    return sum;
  };

  CycleEstimate est;
  est.setup = dma.Read(64 / beat) + kCheck + kToLoad;  // the read goes out in START's cycle
  est.first_load = load[0];

  // The items (band, group) in order, on two resources: the DMA and the array. Loads and
  // inputs are ordered on the DMA (t_ld: when it is done with those so far); with the group load
  // of item k ending at a_k and its job ending at e_k (cycles after the first job may start):
  //   a_k = max(t_ld, e_{k-2}) + load_k             (e_{k-1} with one weight half)
  //   e_k = max(max(e_{k-1}, a_k) + cost_k, in_b + after_b)
  // Band b's input loads once its half is free (band b-2's jobs done); in_b is when it is in.
  // A band's first job streams its input, so it ends no sooner than in_b + StreamedTail (one
  // chunk when the input is a single row, as an FC layer's). The output pieces go out while a
  // band's last group computes (SimulateStores, from where the DMA is, t_ld, on). The DMA must
  // fit them too before the end: body = max(e_last, t_ld + Σ piece writes, the last one's end).
  // The last band's last piece is the tail.
  int64_t t_ld = 0, stores = 0, store_end = 0, e_prev = 0, e_prev2 = 0, final_piece = 0;
  std::vector<int64_t> band_end(static_cast<size_t>(p.bands));
  int64_t k = 0;
  for (int64_t b = 0; b < p.bands; ++b) {
    const BandRows band = PlanBand(d, p, b);
    const int64_t y0 = band.y0, y1 = band.y1, row_lo = band.in_lo, row_hi = band.in_hi;
    const int64_t in_beats =
        row_hi >= row_lo ? BeatBytes(row_lo * p.row_bytes, (row_hi + 1) * p.row_bytes, beat) / beat
                         : 0;
    int64_t in_time = dma.Read(in_beats);
    if (b == 0) {
      // The first job starts once its first position's window is in (the later positions
      // follow the stream: StreamedTail); with a single input row (an FC layer), its first
      // chunk's bytes.
      int64_t bytes = ch.length[0];
      if (row_hi > row_lo) bytes = std::max<int64_t>(LastByte(d, p, band, band.y0, 0), 1);
      // queued behind the first group load's biases: what it adds to that load, up to the
      // first position's bytes and in all
      auto behind_load = [&](int64_t beats) {
        std::vector<std::pair<int64_t, int64_t>> head = reads_of[0];
        head.push_back({beats, 0});
        return dma.Chain(head) - dma.Chain(reads_of[0]);
      };
      const int64_t first = behind_load(CeilDiv(bytes, beat));
      est.first_input = first + kFirstFetch;
      in_time = std::max<int64_t>(0, behind_load(in_beats) - first);
    }
    est.dma += in_time;
    t_ld = std::max(t_ld, b >= 2 ? band_end[static_cast<size_t>(b - 2)] : 0) + in_time;
    int64_t after_input = in_beats;  // the band's input is the last read on the DMA so far
    const int64_t in_end = t_ld;

    const int64_t ob = p.out_row_bytes;

    for (int64_t g = 0; g < p.groups; ++g, ++k) {
      int64_t cost = kJobOverhead, after = 0;
      std::vector<int64_t> row_costs;  // each computed row of the band
      for (int64_t y = y0; y < y1; ++y) {
        row_costs.push_back(row_cost(g, y));
        cost += row_costs.back();
      }
      if (row_hi == row_lo) {
        after = tbls[static_cast<size_t>(g)].back();  // one input row: its last chunk
      } else if (g == 0) {
        after = StreamedTail(d, p, band, row_costs, tbls[static_cast<size_t>(g)].back(), dma.beat);
      }
      int64_t a = 0;
      if (k > 0) {
        int64_t l = load[static_cast<size_t>(g)];
        const int64_t ready = dbuf ? e_prev2 : e_prev;
        if (after_input > 0 && ready <= t_ld) {
          // ready while the band's input still streams: its codes queue behind that read, so
          // its DRAM latency overlaps the input's last beats
          std::vector<std::pair<int64_t, int64_t>> chain = reads_of[static_cast<size_t>(g)];
          chain.insert(chain.begin(), {after_input, 0});
          l = dma.Chain(chain) - dma.Read(after_input) + kLoadGaps;
        }
        after_input = 0;
        est.dma += l;
        t_ld = std::max(t_ld, ready) + l;
        a = t_ld;
      }
      int64_t e_k = std::max(e_prev, a) + cost;
      if (g == 0) e_k = std::max(e_k, in_end + after + kJobOverhead);
      if (g + 1 == p.groups) {
        // the band's output rows finish in this job, back to back up to its end
        std::vector<int64_t> row_done(static_cast<size_t>(band.o1 - band.o0));
        int64_t fin = e_k;
        const int64_t per_out = d.pool ? 2 : 1;
        for (size_t r = row_done.size(); r-- > 0;) {
          row_done[r] = fin;
          for (int64_t j = 0; j < per_out; ++j) {
            fin -= row_costs[r * static_cast<size_t>(per_out) + static_cast<size_t>(j)];
          }
        }
        const BandStores st = SimulateStores(dma, t_ld, row_done, band.o0 * ob, ob, beat);
        stores += st.busy;
        store_end = std::max(store_end, st.end);
        final_piece = st.last;
        if (b + 1 < p.bands) stores += final_piece;
      }
      est.group_cycles += cost - kJobOverhead;
      est.compute += cost;
      ++est.jobs;
      e_prev2 = e_prev;
      e_prev = e_k;
    }
    band_end[static_cast<size_t>(b)] = e_prev;
  }
  est.dma += stores;
  est.body = std::max({e_prev, t_ld + stores, store_end});
  est.tail = final_piece + kDone;
  est.total = est.setup + est.first_load + est.first_input + est.body + est.tail;
  return est;
}

int64_t EstimateLayerCycles(const Layer& layer, const ArrayConfig& cfg, const DramTiming& t) {
  return EstimateLayer(layer, cfg, t).total;
}

}  // namespace qsa::cmodel
