//go:build amd64 && !purego

#include "textflag.h"

// func aesniSupported() bool
TEXT ·aesniSupported(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	SHRL $25, CX
	ANDL $1, CX
	MOVB CX, ret+0(FP)
	RET

// func aesimc(dst, src *byte)
TEXT ·aesimc(SB), NOSPLIT, $0-16
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVOU (SI), X0
	AESIMC X0, X1
	MOVOU X1, (DI)
	RET


// func cbcEncAsm(nr int, xk *byte, iv *byte, dst, src *byte, n int)
TEXT ·cbcEncAsm(SB), NOSPLIT, $0-48
	MOVQ nr+0(FP), CX
	MOVQ xk+8(FP), AX
	MOVQ iv+16(FP), R8
	MOVQ dst+24(FP), DI
	MOVQ src+32(FP), SI
	MOVQ n+40(FP), DX
	MOVOU (R8), X0
	MOVO 0(AX), X2

encloop:
	CMPQ DX, $16
	JB encdone
	MOVOU (SI), X1
	PXOR X1, X0
	PXOR X2, X0
	// rounds 1..nr (CX = nr: 10, 12 or 14)
	AESENC 16(AX), X0
	AESENC 32(AX), X0
	AESENC 48(AX), X0
	AESENC 64(AX), X0
	AESENC 80(AX), X0
	AESENC 96(AX), X0
	AESENC 112(AX), X0
	AESENC 128(AX), X0
	AESENC 144(AX), X0
	CMPQ CX, $12
	JB encr10
	AESENC 160(AX), X0
	AESENC 176(AX), X0
	JE encr12
	AESENC 192(AX), X0
	AESENC 208(AX), X0
	AESENCLAST 224(AX), X0
	JMP encrdone
encr12:
	AESENCLAST 192(AX), X0
	JMP encrdone
encr10:
	AESENCLAST 160(AX), X0
encrdone:
	MOVOU X0, (DI)
	ADDQ $16, SI
	ADDQ $16, DI
	SUBQ $16, DX
	JMP encloop

encdone:
	MOVOU X0, (R8)
	RET

// DEC8R applies one decryption round with key offset off to X0..X7.
#define DEC8R(off) \
	MOVO off(AX), X8; \
	AESDEC X8, X0; \
	AESDEC X8, X1; \
	AESDEC X8, X2; \
	AESDEC X8, X3; \
	AESDEC X8, X4; \
	AESDEC X8, X5; \
	AESDEC X8, X6; \
	AESDEC X8, X7

#define DEC8L(off) \
	MOVO off(AX), X8; \
	AESDECLAST X8, X0; \
	AESDECLAST X8, X1; \
	AESDECLAST X8, X2; \
	AESDECLAST X8, X3; \
	AESDECLAST X8, X4; \
	AESDECLAST X8, X5; \
	AESDECLAST X8, X6; \
	AESDECLAST X8, X7


// func cbcDecAsm(nr int, xk *byte, iv *byte, dst, src *byte, n int)
// Eight blocks at a time; every load of a group comes before its stores,
// so dst may equal src.
TEXT ·cbcDecAsm(SB), NOSPLIT, $0-48
	MOVQ nr+0(FP), CX
	MOVQ xk+8(FP), AX
	MOVQ iv+16(FP), R8
	MOVQ dst+24(FP), DI
	MOVQ src+32(FP), SI
	MOVQ n+40(FP), DX
	MOVOU (R8), X9

dec8loop:
	CMPQ DX, $128
	JB dec1loop
	MOVOU 0(SI), X0
	MOVOU 16(SI), X1
	MOVOU 32(SI), X2
	MOVOU 48(SI), X3
	MOVOU 64(SI), X4
	MOVOU 80(SI), X5
	MOVOU 96(SI), X6
	MOVOU 112(SI), X7
	MOVO 0(AX), X8
	PXOR X8, X0
	PXOR X8, X1
	PXOR X8, X2
	PXOR X8, X3
	PXOR X8, X4
	PXOR X8, X5
	PXOR X8, X6
	PXOR X8, X7
	DEC8R(16)
	DEC8R(32)
	DEC8R(48)
	DEC8R(64)
	DEC8R(80)
	DEC8R(96)
	DEC8R(112)
	DEC8R(128)
	DEC8R(144)
	CMPQ CX, $12
	JB d8last10
	DEC8R(160)
	DEC8R(176)
	JE d8last12
	DEC8R(192)
	DEC8R(208)
	DEC8L(224)
	JMP d8xor

d8last12:
	DEC8L(192)
	JMP d8xor

d8last10:
	DEC8L(160)

d8xor:
	PXOR X9, X0
	MOVOU 0(SI), X10
	PXOR X10, X1
	MOVOU 16(SI), X10
	PXOR X10, X2
	MOVOU 32(SI), X10
	PXOR X10, X3
	MOVOU 48(SI), X10
	PXOR X10, X4
	MOVOU 64(SI), X10
	PXOR X10, X5
	MOVOU 80(SI), X10
	PXOR X10, X6
	MOVOU 96(SI), X10
	PXOR X10, X7
	MOVOU 112(SI), X9
	MOVOU X0, 0(DI)
	MOVOU X1, 16(DI)
	MOVOU X2, 32(DI)
	MOVOU X3, 48(DI)
	MOVOU X4, 64(DI)
	MOVOU X5, 80(DI)
	MOVOU X6, 96(DI)
	MOVOU X7, 112(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $128, DX
	JMP dec8loop

dec1loop:
	CMPQ DX, $16
	JB decdone
	MOVOU (SI), X0
	MOVO X0, X10
	PXOR 0(AX), X0
	// rounds 1..nr (CX = nr: 10, 12 or 14)
	AESDEC 16(AX), X0
	AESDEC 32(AX), X0
	AESDEC 48(AX), X0
	AESDEC 64(AX), X0
	AESDEC 80(AX), X0
	AESDEC 96(AX), X0
	AESDEC 112(AX), X0
	AESDEC 128(AX), X0
	AESDEC 144(AX), X0
	CMPQ CX, $12
	JB decr10
	AESDEC 160(AX), X0
	AESDEC 176(AX), X0
	JE decr12
	AESDEC 192(AX), X0
	AESDEC 208(AX), X0
	AESDECLAST 224(AX), X0
	JMP decrdone
decr12:
	AESDECLAST 192(AX), X0
	JMP decrdone
decr10:
	AESDECLAST 160(AX), X0
decrdone:
	PXOR X9, X0
	MOVO X10, X9
	MOVOU X0, (DI)
	ADDQ $16, SI
	ADDQ $16, DI
	SUBQ $16, DX
	JMP dec1loop

decdone:
	MOVOU X9, (R8)
	RET
