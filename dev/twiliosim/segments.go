package twiliosim

import (
	"strings"
	"unicode/utf16"
)

// The GSM 03.38 default alphabet and the characters of its extension table,
// which cost two septets each.
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtension = "^{}\\[]~|€\f"
)

// segmentCount returns how many SMS segments carry body: GSM-7 when every
// character is in the GSM alphabet (160 single, 153 per part), otherwise
// UCS-2 counted in UTF-16 units (70 single, 67 per part).
func segmentCount(body string) int {
	units, gsm := 0, true
	for _, r := range body {
		switch {
		case strings.ContainsRune(gsmBasic, r):
			units++
		case strings.ContainsRune(gsmExtension, r):
			units += 2
		default:
			gsm = false
		}
		if !gsm {
			break
		}
	}
	single, perPart := 160, 153
	if !gsm {
		units = len(utf16.Encode([]rune(body)))
		single, perPart = 70, 67
	}
	if units <= single {
		return 1
	}
	return (units + perPart - 1) / perPart
}
