package api

// General API information for swag (make api-docs).
//
//	@title						Flicket API
//	@version					1.0
//	@description				Flicket's REST API: tickets, replies, departments, users and administration. Compatible with the original Flicket's /flicket-api paths, bearer tokens and paginated envelopes.
//	@description				Get a token with HTTP Basic auth (POST /tokens), then send `Authorization: Bearer <token>`.
//	@license.name				MIT
//	@BasePath					/
//	@securityDefinitions.basic	BasicAuth
//	@securityDefinitions.apikey	BearerAuth
//	@in							header
//	@name						Authorization
//	@description				"Bearer " followed by a token from POST /tokens.
