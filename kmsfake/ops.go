package kmsfake

// handler runs one operation on a decoded call and returns the response
// value (marshalled to JSON) or an error (an *apiError for clients).
type handler func(c *call, body []byte) (any, error)

// operations is the one dispatch table from operation name to handler.
var operations map[string]handler

func init() {
	operations = map[string]handler{
		"CreateKey":                           opCreateKey,
		"DescribeKey":                         opDescribeKey,
		"ListKeys":                            opListKeys,
		"EnableKey":                           opEnableKey,
		"DisableKey":                          opDisableKey,
		"ScheduleKeyDeletion":                 opScheduleKeyDeletion,
		"CancelKeyDeletion":                   opCancelKeyDeletion,
		"CreateAlias":                         opCreateAlias,
		"UpdateAlias":                         opUpdateAlias,
		"DeleteAlias":                         opDeleteAlias,
		"ListAliases":                         opListAliases,
		"TagResource":                         opTagResource,
		"UntagResource":                       opUntagResource,
		"ListResourceTags":                    opListResourceTags,
		"GetPublicKey":                        opGetPublicKey,
		"Encrypt":                             opEncrypt,
		"Decrypt":                             opDecrypt,
		"ReEncrypt":                           opReEncrypt,
		"GenerateDataKey":                     opGenerateDataKey,
		"GenerateDataKeyWithoutPlaintext":     opGenerateDataKeyWithoutPlaintext,
		"GenerateDataKeyPair":                 opGenerateDataKeyPair,
		"GenerateDataKeyPairWithoutPlaintext": opGenerateDataKeyPairWithoutPlaintext,
		"DeriveSharedSecret":                  opDeriveSharedSecret,
		"Sign":                                opSign,
		"Verify":                              opVerify,
		"GenerateRandom":                      opGenerateRandom,
		"GetKeyPolicy":                        opGetKeyPolicy,
		"GetParametersForImport":              opGetParametersForImport,
		"ImportKeyMaterial":                   opImportKeyMaterial,
	}
}
