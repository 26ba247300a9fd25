package chart

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
)

// maxFontBytes bounds a font file read for labels (Noto Sans CJK, the
// largest of the usual ones, is about 20 MB).
const maxFontBytes = 128 << 20

// maxWalk bounds how many entries of the font folders are looked at.
const maxWalk = 20000

// sample is what a CJK font must draw: the words of the charts' labels.
const sample = "销售额访客数转化率跳失率平均停留时长日目标元分秒店铺浏览量付款客单价投产比"

// SystemFontPaths are where the usual CJK fonts are installed, best
// first, then the folders searched for any other: Debian and Ubuntu
// (fonts-noto-cjk, fonts-wqy-microhei, fonts-wqy-zenhei), Fedora, Arch,
// Alpine, macOS and Windows. (Droid Sans Fallback is not one: it has no
// Latin letters, and labels mix both.)
func SystemFontPaths() []string {
	paths := []string{
		"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/noto/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
		"/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
		"/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
		"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
		"/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
		"/usr/share/fonts/wenquanyi/wqy-zenhei.ttc",
		"/usr/share/fonts/adobe-source-han-sans/SourceHanSansCN-Regular.otf",
		"/usr/share/fonts/opentype/source-han-sans/SourceHanSans-Regular.ttc",
		"/System/Library/Fonts/STHeiti Light.ttc",
		"/System/Library/Fonts/Hiragino Sans GB.ttc",
		"/Library/Fonts/Arial Unicode.ttf",
		`C:\Windows\Fonts\msyh.ttc`,
		`C:\Windows\Fonts\simhei.ttf`,
	}
	dirs := []string{"/usr/share/fonts", "/usr/local/share/fonts"}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".local/share/fonts"), filepath.Join(home, ".fonts"))
	}
	if runtime.GOOS == "darwin" {
		dirs = append(dirs, "/System/Library/Fonts", "/Library/Fonts")
	}
	return append(paths, dirs...)
}

// cjkName matches the file names of fonts that draw Chinese, best first.
var cjkNames = []*regexp.Regexp{
	regexp.MustCompile(`(?i)^notosans(cjk|sc)[^/]*-regular\.(ttc|otf|ttf)$`),
	regexp.MustCompile(`(?i)^sourcehansans(cn|sc)?[^/]*-regular\.(ttc|otf|ttf)$`),
	regexp.MustCompile(`(?i)^wqy-(microhei|zenhei)\.tt[cf]$`),
	regexp.MustCompile(`(?i)(notosanscjk|notosanssc|sourcehan|wqy|uming|ukai|simhei|simsun|msyh)[^/]*\.(ttc|otf|ttf)$`),
}

func cjkRank(name string) int {
	for i, re := range cjkNames {
		if re.MatchString(name) {
			return i
		}
	}
	return -1
}

// cjkTypeface names the CJK font in the text handler of a chart.
const cjkTypeface = "cjk"

// fontSource finds, once, a font with the glyphs of Chinese labels, and
// loads it for each chart that needs it: the file is mapped, not read,
// where the system allows it, and let go of when the chart is drawn, so a
// bot that drew a chart an hour ago holds no font in memory.
type fontSource struct {
	file   string
	search []string
	log    *slog.Logger

	once   sync.Once
	path   string // the font found
	index  int    // its face, in a collection
	reason string // why there is none

	fallback sync.Once
}

// handler returns a text handler that draws labels with the CJK font,
// and a function to call when the chart is drawn; nil and the reason
// when there is no font for them.
func (f *fontSource) handler(l Labels) (text.Handler, func(), string) {
	f.once.Do(f.load)
	if f.path == "" {
		return nil, nil, f.reason
	}
	lf, err := loadFont(f.path, f.index)
	if err != nil {
		return nil, nil, fmt.Sprintf("the font %s: %v", f.path, err)
	}
	var buf sfnt.Buffer
	for _, s := range l.texts() {
		for _, r := range s {
			if r < 0x20 {
				continue
			}
			if i, err := lf.face.GlyphIndex(&buf, r); err != nil || i == 0 {
				lf.close()
				return nil, nil, fmt.Sprintf("the font %s has no glyph for %q", f.path, r)
			}
		}
	}
	cache := font.NewCache(font.Collection{{Font: font.Font{Typeface: cjkTypeface}, Face: lf.face}})
	return text.Plain{Fonts: cache}, lf.close, ""
}

// fallingBack logs, once, why labels are drawn in English.
func (f *fontSource) fallingBack(why string) {
	f.fallback.Do(func() {
		f.log.Warn("chart labels are drawn in English: no font that draws Chinese was found; "+
			"install one (apt-get install fonts-wqy-microhei or fonts-noto-cjk) or set reports.chart_font to a .ttf/.ttc/.otf file",
			"reason", why)
	})
}

// load finds the font: the configured file, else the first good one of
// the search paths.
func (f *fontSource) load() {
	var tried []string
	if f.file != "" {
		err := f.try(f.file)
		if err == nil {
			return
		}
		f.log.Error("reports.chart_font cannot draw Chinese labels; looking for a system font", "file", f.file, "err", err)
		tried = append(tried, f.file+": "+err.Error())
	}
	for _, p := range f.candidates() {
		if p == f.file {
			continue
		}
		err := f.try(p)
		if err == nil {
			return
		}
		tried = append(tried, p+": "+err.Error())
	}
	if len(tried) == 0 {
		f.reason = "no CJK font file in " + strings.Join(f.search, ", ")
		return
	}
	f.reason = "no usable CJK font: " + strings.Join(tried, "; ")
}

// candidates lists the font files of the search paths that look like CJK
// fonts: files as listed, then what the folders hold, best name first.
func (f *fontSource) candidates() []string {
	var files []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	type found struct {
		path string
		rank int
	}
	var walked []found
	n := 0
	for _, p := range f.search {
		st, err := os.Stat(p)
		if err != nil {
			continue
		}
		if !st.IsDir() {
			add(p)
			continue
		}
		_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if n++; n > maxWalk {
				return fs.SkipAll
			}
			if err != nil || d.IsDir() {
				return nil
			}
			if r := cjkRank(d.Name()); r >= 0 {
				walked = append(walked, found{path, r})
			}
			return nil
		})
	}
	slices.SortStableFunc(walked, func(a, b found) int { return a.rank - b.rank })
	for _, w := range walked {
		add(w.path)
	}
	return files
}

// try loads one file, and keeps it if it draws the sample.
func (f *fontSource) try(path string) error {
	index, err := pickFace(path)
	if err != nil {
		return err
	}
	lf, err := loadFont(path, index)
	if err != nil {
		return err
	}
	defer lf.close()
	if err := drawsSample(lf.face); err != nil {
		return err
	}
	f.path, f.index = path, index
	f.log.Info("chart labels in Chinese use this font", "file", path, "face", index)
	return nil
}

// loadedFont is a font loaded for one chart.
type loadedFont struct {
	face   *opentype.Font
	mapped []byte // the file
	packed []byte // its face, repacked (see repack), or nil
}

// close lets go of the font's memory; the face must not be used after.
func (l *loadedFont) close() {
	if l.packed != nil {
		freeBuffer(l.packed)
	}
	unmapFile(l.mapped)
}

// loadFont maps a font file and parses one face of it (index, in a
// collection).
func loadFont(path string, index int) (*loadedFont, error) {
	data, err := mapFile(path)
	if err != nil {
		return nil, err
	}
	lf := &loadedFont{mapped: data}
	dir, err := faceOffset(data, index)
	if err == nil {
		lf.face, err = parseFace(data, index)
	}
	if err != nil && dir >= 0 {
		// Some fonts (WenQuanYi's) do not start their tables on four-byte
		// boundaries, as the format requires and x/image insists on: the
		// face is copied with its tables aligned.
		if lf.packed, err = repack(data, dir); err == nil {
			lf.face, err = opentype.Parse(lf.packed)
		}
	}
	if err != nil {
		lf.close()
		return nil, err
	}
	return lf, nil
}

func parseFace(data []byte, index int) (*opentype.Font, error) {
	if !isCollection(data) {
		return opentype.Parse(data)
	}
	coll, err := opentype.ParseCollection(data)
	if err != nil {
		return nil, err
	}
	return coll.Font(index)
}

func isCollection(data []byte) bool { return len(data) >= 4 && string(data[:4]) == "ttcf" }

// faceOffset is where a face's table directory starts: 0 in a single
// font, from the header in a collection; -1 when there is no such face.
func faceOffset(data []byte, index int) (int, error) {
	if len(data) < 12 {
		return -1, errors.New("not a font file")
	}
	if !isCollection(data) {
		return 0, nil
	}
	n := int(be32(data[8:]))
	if index < 0 || index >= n || len(data) < 12+4*n {
		return -1, fmt.Errorf("no face %d in the collection", index)
	}
	return int(be32(data[12+4*index:])), nil
}

func be16(b []byte) uint32 { return uint32(b[0])<<8 | uint32(b[1]) }
func be32(b []byte) uint32 { return be16(b)<<16 | be16(b[2:]) }

func put32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}

// repack copies the face whose table directory is at dir into a single
// font whose tables start on four-byte boundaries. The copy is made
// outside the Go heap where the system allows it (see allocBuffer).
func repack(data []byte, dir int) ([]byte, error) {
	bad := errors.New("damaged table directory")
	if dir < 0 || dir+12 > len(data) {
		return nil, bad
	}
	n := int(be16(data[dir+4:]))
	if n == 0 || dir+12+16*n > len(data) {
		return nil, bad
	}
	head := 12 + 16*n
	size := head
	for i := range n {
		e := data[dir+12+16*i:]
		off, length := int(be32(e[8:])), int(be32(e[12:]))
		if off < 0 || length < 0 || off+length > len(data) || off+length < off {
			return nil, bad
		}
		size += (length + 3) &^ 3
	}
	if size > maxFontBytes {
		return nil, errors.New("font too large")
	}
	out, err := allocBuffer(size)
	if err != nil {
		return nil, err
	}
	copy(out, data[dir:dir+head])
	pos := head
	for i := range n {
		e := out[12+16*i:]
		off, length := int(be32(e[8:])), int(be32(e[12:]))
		copy(out[pos:], data[off:off+length])
		put32(e[8:], uint32(pos))
		pos += (length + 3) &^ 3
	}
	return out, nil
}

// pickFace chooses the face of a font file: the only one, or in a
// collection the face for Simplified Chinese (Noto Sans CJK holds
// Japanese, Korean, Simplified and Traditional Chinese), else the first
// that is not monospaced.
func pickFace(path string) (int, error) {
	data, err := mapFile(path)
	if err != nil {
		return 0, err
	}
	defer unmapFile(data)
	if !isCollection(data) {
		return 0, nil
	}
	n := 0
	if len(data) >= 12 {
		n = int(be32(data[8:]))
	}
	plain := -1
	var buf sfnt.Buffer
	for i := range min(n, 64) {
		lf, err := loadFont(path, i)
		if err != nil {
			continue
		}
		name, _ := lf.face.Name(&buf, sfnt.NameIDFamily)
		lf.close()
		switch {
		case strings.Contains(name, " SC") || strings.Contains(name, " CN"):
			return i, nil
		case plain < 0 && !strings.Contains(strings.ToLower(name), "mono"):
			plain = i
		}
	}
	if plain < 0 {
		return 0, errors.New("no usable face in the collection")
	}
	return plain, nil
}

// drawsSample checks that a face has and can measure the sample's
// glyphs, as gonum does when it lays out text (where a failure panics).
func drawsSample(face *opentype.Font) error {
	var buf sfnt.Buffer
	ppem := fixed.Int26_6(face.UnitsPerEm())
	if _, err := face.Metrics(&buf, ppem, xfont.HintingNone); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	var prev sfnt.GlyphIndex
	for i, r := range sample + "Sales (CNY) 0123456789:%" {
		idx, err := face.GlyphIndex(&buf, r)
		if err != nil || idx == 0 {
			return fmt.Errorf("no glyph for %q", r)
		}
		if _, err := face.GlyphAdvance(&buf, idx, ppem, xfont.HintingNone); err != nil {
			return fmt.Errorf("glyph %q: %w", r, err)
		}
		if _, err := face.LoadGlyph(&buf, idx, ppem, nil); err != nil {
			return fmt.Errorf("glyph %q: %w", r, err)
		}
		if i > 0 {
			if _, err := face.Kern(&buf, prev, idx, ppem, xfont.HintingNone); err != nil && !errors.Is(err, sfnt.ErrNotFound) {
				return fmt.Errorf("kerning: %w", err)
			}
		}
		prev = idx
	}
	return nil
}

// FontFile is the CJK font the drawer uses for labels in Chinese, found
// and loaded now if it was not yet; "" when there is none.
func (d *Drawer) FontFile() string {
	d.fonts.once.Do(d.fonts.load)
	return d.fonts.path
}
