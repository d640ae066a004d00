//go:build !amd64 || purego

package oracle

import "crypto/cipher"

// useAESNI is false off amd64: the portable crypto/cipher code is used.
const useAESNI = false

func aesniCBCFactory(key []byte) func(iv []byte, decrypt bool) cipher.BlockMode { return nil }

func invMixColumns(dst, src []byte) { panic("oracle: invMixColumns without AES-NI") }
