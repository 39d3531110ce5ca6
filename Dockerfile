# A small image with catalint: docker build -t catalint . &&
# docker run --rm -v "$PWD:/src" -w /src catalint check
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/catalint-dev/catalint/pkg/cli.Version=${VERSION}" -o /catalint ./cmd/catalint

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /catalint /usr/local/bin/catalint
ENTRYPOINT ["/usr/local/bin/catalint"]
CMD ["check"]
