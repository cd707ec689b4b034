# Snout: one binary, run as `snout api`, `snout worker`, `snout migrate`…
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/snout ./cmd/snout

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/snout /usr/local/bin/snout
USER nonroot
ENTRYPOINT ["/usr/local/bin/snout"]
CMD ["api"]
