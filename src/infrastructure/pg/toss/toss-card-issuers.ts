/**
 * Toss card-company codes (API version 2022-11-16 returns codes, not names) → the issuer name we
 * keep with a payment. '33' is a Woori card acquired by BC; 'W1' one acquired by Woori itself.
 */
const TOSS_CARD_ISSUERS: Readonly<Record<string, string>> = {
  '11': 'KB국민',
  '15': '카카오뱅크',
  '21': '하나',
  '24': '토스뱅크',
  '30': 'KDB산업',
  '31': 'BC',
  '33': '우리',
  '34': 'Sh수협',
  '35': '전북',
  '36': '씨티',
  '37': '우체국',
  '38': '새마을',
  '39': '저축은행',
  '3A': '케이뱅크',
  '3C': '유니온페이',
  '3K': '기업BC',
  '41': '신한',
  '42': '제주',
  '46': '광주',
  '4J': 'JCB',
  '4M': '마스터카드',
  '4V': 'VISA',
  '51': '삼성',
  '61': '현대',
  '62': '신협',
  '6D': '다이너스',
  '71': '롯데',
  '7A': 'AMEX',
  '91': 'NH농협',
  W1: '우리',
};

/** The issuer's name, or undefined for a code we do not know (never a made-up name). */
export function tossCardIssuerName(code: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(TOSS_CARD_ISSUERS, code) ? TOSS_CARD_ISSUERS[code] : undefined;
}
