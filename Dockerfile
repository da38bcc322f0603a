# Node 24 runs Belay's TypeScript directly (type stripping): no build step, only production dependencies.
# The base is pinned by digest (node 24.18.0 on Debian bookworm) so a rebuild gets the same bytes;
# Dependabot's docker ecosystem proposes new digests.
FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d
ENV NODE_ENV=production
WORKDIR /app
RUN groupadd --system --gid 10001 belay && useradd --system --uid 10001 --gid belay --no-create-home belay
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json ./
COPY --chown=root:root src ./src
COPY --chown=root:root prompts ./prompts
# The graphs' font (Inter, OFL): the image has no system fonts, and the graphs need none.
COPY --chown=root:root assets ./assets
USER 10001:10001
EXPOSE 8080 3000
ENTRYPOINT ["node", "src/main.ts"]
