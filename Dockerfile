# Node 24 runs Belay's TypeScript directly (type stripping): no build step, only production dependencies.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
RUN groupadd --system --gid 10001 belay && useradd --system --uid 10001 --gid belay --no-create-home belay
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json ./
COPY --chown=root:root src ./src
COPY --chown=root:root prompts ./prompts
USER 10001:10001
EXPOSE 8080 3000
ENTRYPOINT ["node", "src/main.ts"]
