# syntax=docker/dockerfile:1
#
# Image of the odin-webhook server. The build stage compiles the TypeScript and
# keeps only production dependencies; the final stage is a slim Node.js runtime
# with package.json, those dependencies, dist/ and the example templates, and
# no compiler, npm cache or source.
#
#   docker build -t odin-webhook:0.1.0 .
#
# The chart in charts/odin-webhook runs it with a mounted serving certificate.

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app

# Dependencies first, so this layer is reused while only sources change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production

# The server never runs npm, yarn or corepack; removing them leaves less in the
# image that a compromised process could use.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg

# package.json is needed at run time: its "type": "module" makes Node load
# dist/ as ES modules.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/examples/templates ./examples/templates

# A numeric user, so Kubernetes can check runAsNonRoot without a passwd entry.
# The chart's securityContext runs as the same user and group.
USER 65532:65532

# HTTPS admission reviews, and plain HTTP for /healthz, /readyz and /metrics.
EXPOSE 8443 8080

ENTRYPOINT ["node", "dist/src/cli.js"]
CMD ["serve"]
